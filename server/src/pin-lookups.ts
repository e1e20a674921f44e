/**
 * Limits how fast one client address may look games up by PIN, so the 900,000 PINs cannot be walked to find live
 * games. Sized for a hall behind one NAT: a generous budget of lookups (a whole class joining at once), and a much
 * smaller one of misses (unknown PINs), which only a typo or an enumeration produces. Used by `GET /api/games/:pin`
 * and by the socket paths that look a PIN up: `await pinLookups.guard(address, () => lookup())`.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GameError } from './errors';

export interface PinLookupLimits {
  /** Lookups per address per minute (hits and misses). */
  perMinute: number;
  /** Unknown PINs per address per minute; past it every lookup is refused until the minute is over. */
  missesPerMinute: number;
}

export const DEFAULT_PIN_LOOKUP_LIMITS: PinLookupLimits = { perMinute: 3000, missesPerMinute: 30 };

/** A refusal that says when to try again: the HTTP error handler turns `retryAfterSec` into a Retry-After header. */
export function rateLimited(message: string, msBeforeNext: number): GameError {
  return new GameError('RATE_LIMITED', message, { retryAfterSec: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
}

export class PinLookupLimiter {
  private readonly lookups: RateLimiterMemory;
  private readonly misses: RateLimiterMemory;

  constructor(limits: PinLookupLimits = DEFAULT_PIN_LOOKUP_LIMITS) {
    this.lookups = new RateLimiterMemory({ points: limits.perMinute, duration: 60 });
    this.misses = new RateLimiterMemory({ points: limits.missesPerMinute, duration: 60 });
  }

  /**
   * Runs one lookup for `address` if its budgets allow, counting a `GAME_NOT_FOUND` as a miss; otherwise throws
   * `RATE_LIMITED` with `retryAfterSec`. The lookup's own errors pass through unchanged.
   */
  async guard<T>(address: string, lookup: () => Promise<T>): Promise<T> {
    await this.refuseAfterMisses(address);
    try {
      await this.lookups.consume(address);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw rateLimited('too many PIN lookups; wait a minute', res.msBeforeNext);
      throw res;
    }
    return this.countingMisses(address, lookup);
  }

  /**
   * The socket paths (join, screen and host attach): only unknown PINs count here, since joins already have their
   * own per-address limit and a hall's phones all join through them.
   */
  async guardMisses<T>(address: string, lookup: () => Promise<T>): Promise<T> {
    await this.refuseAfterMisses(address);
    return this.countingMisses(address, lookup);
  }

  private async refuseAfterMisses(address: string) {
    const missed = await this.misses.get(address);
    if (missed && missed.remainingPoints <= 0)
      throw rateLimited('too many unknown PINs; wait a minute', missed.msBeforeNext);
  }

  private async countingMisses<T>(address: string, lookup: () => Promise<T>): Promise<T> {
    try {
      return await lookup();
    } catch (err) {
      if (err instanceof GameError && err.code === 'GAME_NOT_FOUND') await this.misses.consume(address).catch(() => {});
      throw err;
    }
  }
}
