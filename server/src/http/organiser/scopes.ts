/** The three result scopes in URLs (a game, a round, a contest) and how each reads its ResultScope. */
import type { Request } from 'express';
import { Slug } from '../../../../protocol/contest';
import { Pin } from '../../../../protocol/events';
import type { ResultScope } from '../../../../protocol/organiser';
import { GameError } from '../../errors';

type Params = Record<string, string | undefined>;
const slug = (s?: string) => Slug.safeParse(s).success;

export const RESULT_SCOPES: { path: string; parse(p: Params): ResultScope | null }[] = [
  { path: '/results/game/:pin', parse: (p) => (Pin.safeParse(p.pin).success ? { kind: 'game', pin: p.pin! } : null) },
  {
    path: '/results/round/:contestId/:roundId',
    parse: (p) =>
      slug(p.contestId) && slug(p.roundId) ? { kind: 'round', contestId: p.contestId!, roundId: p.roundId! } : null,
  },
  {
    path: '/results/contest/:contestId',
    parse: (p) => (slug(p.contestId) ? { kind: 'contest', contestId: p.contestId! } : null),
  },
];

export function scopeOf(req: Request, parse: (p: Params) => ResultScope | null): ResultScope {
  const scope = parse(req.params as Params);
  if (!scope) throw new GameError('BAD_REQUEST', 'malformed PIN, contest or round id');
  return scope;
}
