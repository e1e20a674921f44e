// Accommodations in online rounds: a contestant who asked for extra time at registration (elderly, disabled) gets
// the round's time limit times its `extraTimeFactor` (default 1.5), never past the round's close.
import type { Contest, OnlineRoundSettings } from '../../../protocol/contest';
import { maskPhone } from './phone';
import { countingAttempts } from './round-results';
import { attemptRules, type AttemptRules } from './round-window';
import type { ContestantRecord, OnlineStore } from './store';

/** The attempt rules for this contestant: the time limit stretched when they asked for extra time. */
export function rulesFor(online: OnlineRoundSettings, who: Pick<ContestantRecord, 'extraTime'>): AttemptRules {
  const rules = attemptRules(online);
  return who.extraTime ? { ...rules, limitMs: Math.round(rules.limitMs * online.extraTimeFactor) } : rules;
}

/** One contestant with extra time, as organisers review them: the phone masked. */
export interface AccommodatedContestant {
  contestantId: string;
  fullName: string;
  phoneMasked: string;
  group: ContestantRecord['group'];
  unit: string;
  correct: number;
  timeMs: number;
}

/** Per self-paced round, the contestants whose counting attempt had extra time. */
export async function accommodationsReport(
  store: OnlineStore,
  contest: Contest,
): Promise<{
  contestId: string;
  rounds: { roundId: string; extraTimeFactor: number; contestants: AccommodatedContestant[] }[];
}> {
  const rounds = [];
  for (const round of contest.rounds) {
    if (round.mode !== 'self-paced' || !round.online) continue;
    const counting = await countingAttempts(store, contest.id, round.id);
    rounds.push({
      roundId: round.id,
      extraTimeFactor: round.online.extraTimeFactor,
      contestants: counting
        .filter(({ contestant }) => contestant.extraTime)
        .map(({ attempt, contestant }) => ({
          contestantId: contestant.id,
          fullName: contestant.fullName,
          phoneMasked: maskPhone(contestant.phone),
          group: contestant.group,
          unit: contestant.unit,
          correct: attempt.result!.correct,
          timeMs: attempt.result!.timeMs,
        })),
    });
  }
  return { contestId: contest.id, rounds };
}
