// The round's rules on the server's clock: is it open, and may this contestant start another attempt.
import type { OnlineRoundSettings } from '../../../protocol/contest';
import type { RoundStatus } from '../../../protocol/online';

const DAY_MS = 86_400_000;

/** The window in ms. `closesAt` is the last moment an attempt may start (inclusive). */
export function windowOf(online: OnlineRoundSettings): { opensAt: number; closesAt: number } {
  return { opensAt: Date.parse(online.opensAt), closesAt: Date.parse(online.closesAt) };
}

export function roundStatus(online: OnlineRoundSettings, now: number): RoundStatus {
  const { opensAt, closesAt } = windowOf(online);
  return now < opensAt ? 'upcoming' : now > closesAt ? 'closed' : 'open';
}

/** The numbers the atomic start step checks (the Redis script receives the same). */
export interface AttemptRules {
  opensAt: number;
  closesAt: number;
  limitMs: number;
  total: number;
  /** 0 when there is no per-period limit. */
  periodAttempts: number;
  periodMs: number;
}

export function attemptRules(online: OnlineRoundSettings): AttemptRules {
  return {
    ...windowOf(online),
    limitMs: Math.round(online.timeLimitMin * 60_000),
    total: online.attempts,
    periodAttempts: online.perPeriod?.attempts ?? 0,
    periodMs: (online.perPeriod?.days ?? 0) * DAY_MS,
  };
}

export type StartRefusal = 'ROUND_NOT_OPEN' | 'ROUND_CLOSED' | 'NO_ATTEMPTS_LEFT' | 'ATTEMPT_TOO_SOON';

/**
 * Whether an attempt may start now, given when this contestant's earlier attempts started. When a per-period
 * limit holds it back, `nextAt` says when the oldest attempt of the period leaves it.
 */
export function mayStart(
  rules: AttemptRules,
  starts: readonly number[],
  now: number,
): { ok: true } | { ok: false; code: StartRefusal; nextAt?: number } {
  if (now < rules.opensAt) return { ok: false, code: 'ROUND_NOT_OPEN' };
  if (now > rules.closesAt) return { ok: false, code: 'ROUND_CLOSED' };
  if (starts.length >= rules.total) return { ok: false, code: 'NO_ATTEMPTS_LEFT' };
  const nextAt = nextAttemptAt(rules, starts, now);
  return nextAt === null ? { ok: true } : { ok: false, code: 'ATTEMPT_TOO_SOON', nextAt };
}

/** When the per-period limit lets the next attempt start, or null when it does not hold it back now. */
export function nextAttemptAt(rules: AttemptRules, starts: readonly number[], now: number): number | null {
  if (!rules.periodAttempts) return null;
  const recent = starts.filter((s) => s > now - rules.periodMs).sort((a, b) => a - b);
  if (recent.length < rules.periodAttempts) return null;
  return recent[recent.length - rules.periodAttempts]! + rules.periodMs;
}

/** The deadline of an attempt started now: its time limit, but never past the round's close (answers are revealed then). */
export function deadlineFor(rules: AttemptRules, startedAt: number): number {
  return Math.min(startedAt + rules.limitMs, rules.closesAt);
}
