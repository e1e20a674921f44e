import { describe, expect, it } from 'vitest';
import { OnlineRoundSettings } from '../../../protocol/contest';
import { attemptRules, deadlineFor, mayStart, roundStatus } from './round-window';

const DAY = 86_400_000;
const online = OnlineRoundSettings.parse({
  opensAt: '2025-09-22T00:00+07:00',
  closesAt: '2025-10-09T23:59+07:00',
  timeLimitMin: 20,
  attempts: 3,
  perPeriod: { attempts: 1, days: 7 },
});
const rules = attemptRules(online);
const opens = Date.parse('2025-09-21T17:00:00Z');
const closes = Date.parse('2025-10-09T16:59:00Z');

describe(roundStatus.name, () => {
  it.each([
    [opens - 1, 'upcoming'],
    [opens, 'open'],
    [closes, 'open'],
    [closes + 1, 'closed'],
  ])('at %d: %s', (now, want) => expect(roundStatus(online, now)).toBe(want));
});

describe(mayStart.name, () => {
  it.each<[string, number[], number, ReturnType<typeof mayStart>]>([
    ['before the window', [], opens - 1, { ok: false, code: 'ROUND_NOT_OPEN' }],
    ['after the window', [], closes + 1, { ok: false, code: 'ROUND_CLOSED' }],
    ['first attempt', [], opens, { ok: true }],
    ['second within 7 days', [opens], opens + DAY, { ok: false, code: 'ATTEMPT_TOO_SOON', nextAt: opens + 7 * DAY }],
    ['second after 7 days', [opens], opens + 7 * DAY, { ok: true }],
    [
      'all three used',
      [opens, opens + 7 * DAY, opens + 14 * DAY],
      opens + 15 * DAY,
      { ok: false, code: 'NO_ATTEMPTS_LEFT' },
    ],
  ])('%s', (_name, starts, now, want) => expect(mayStart(rules, starts, now)).toEqual(want));
  it('without a period limit only the total holds', () => {
    const plain = attemptRules({ ...online, perPeriod: undefined });
    expect(mayStart(plain, [opens, opens + 1], opens + 2)).toEqual({ ok: true });
  });
});

describe(deadlineFor.name, () => {
  it('is start + limit, but never after the close', () => {
    expect(deadlineFor(rules, opens)).toBe(opens + 20 * 60_000);
    expect(deadlineFor(rules, closes - 60_000)).toBe(closes);
  });
});
