// Which badges a person has earned, from what they did (pure). The service gathers the evidence: answers of the
// attempts that count in each online round, or of one live game; rounds finished; practice sessions completed.
import type { Badge, CompetenceArea, Contest } from '../../../protocol/contest';

export interface BadgeEvidence {
  /** Questions asked (unanswered ones count as not correct) and answered correctly, per area. */
  areas: Partial<Record<CompetenceArea, { asked: number; correct: number }>>;
  /** Rounds finished: online, a scored attempt; live, every question of the game answered. */
  finished: ReadonlySet<string>;
  /** The rounds this evidence could finish (an online contestant: the self-paced ones; a live player: their game's). */
  playable: ReadonlySet<string>;
  practiceSessions: number;
}

export const NO_EVIDENCE: BadgeEvidence = { areas: {}, finished: new Set(), playable: new Set(), practiceSessions: 0 };

/** Whether one badge's rule is met. */
export function meetsRule(badge: Badge, contest: Contest, e: BadgeEvidence): boolean {
  const rule = badge.rule;
  switch (rule.kind) {
    case 'area-accuracy': {
      const a = e.areas[rule.area];
      return !!a && a.asked >= rule.minAnswered && (a.correct * 100) / a.asked >= rule.minPercent;
    }
    case 'all-rounds': {
      // The rounds named (default: every round) that this kind of play can finish: all of them finished.
      const wanted = (rule.rounds ?? contest.rounds.map((r) => r.id)).filter((id) => e.playable.has(id));
      return wanted.length > 0 && wanted.every((id) => e.finished.has(id));
    }
    case 'practice-sessions':
      return e.practiceSessions >= rule.count;
  }
}

/** Ids of the contest's badges the evidence earns. */
export function earnedBadges(contest: Contest, e: BadgeEvidence): string[] {
  return contest.badges.filter((b) => meetsRule(b, contest, e)).map((b) => b.id);
}
