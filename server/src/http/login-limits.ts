/**
 * How many organiser logins may be tried: per client address (any attempt), and per user name (failures only), so
 * a password guesser who rotates addresses — or forges X-Forwarded-For through a trusting proxy — gets no fresh
 * attempts at the same name. The price: someone who knows the user name can keep the organiser out for the
 * window; the organiser can still wait it out, or restart with another ORGANISER_USER.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../pin-lookups';

export interface LoginLimits {
  /** Attempts per address per minute. */
  perAddressPerMinute: number;
  /** Failed attempts per user name in `nameWindowSec`, then every attempt at that name is refused. */
  failuresPerName: number;
  nameWindowSec: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAddressPerMinute: 10,
  failuresPerName: 10,
  nameWindowSec: 15 * 60,
};

/** Names are keyed by a hash: case- and space-insensitive, and a megabyte of junk is one short key. */
const nameKey = (username: string) =>
  createHash('sha256').update(username.trim().toLowerCase()).digest('base64url').slice(0, 22);

export class LoginLimiter {
  private readonly byAddress: RateLimiterMemory;
  private readonly failuresByName: RateLimiterMemory;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.byAddress = new RateLimiterMemory({ points: limits.perAddressPerMinute, duration: 60 });
    this.failuresByName = new RateLimiterMemory({ points: limits.failuresPerName, duration: limits.nameWindowSec });
  }

  /** Counts an attempt from `address` at `username`; throws RATE_LIMITED (with retryAfterSec) past either limit. */
  async attempt(address: string, username: string): Promise<void> {
    try {
      await this.byAddress.consume(address);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw rateLimited('too many login attempts; wait a minute', res.msBeforeNext);
      throw res;
    }
    const failed = await this.failuresByName.get(nameKey(username));
    if (failed && failed.remainingPoints <= 0)
      throw rateLimited('too many failed logins for this user name; wait', failed.msBeforeNext);
  }

  async failed(username: string): Promise<void> {
    await this.failuresByName.consume(nameKey(username)).catch(() => {});
  }

  async succeeded(username: string): Promise<void> {
    await this.failuresByName.delete(nameKey(username));
  }
}
