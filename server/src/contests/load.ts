import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { drawPool, type Contest, type Question, type Round } from '../../../protocol/contest';
import { checkContestDir, formatProblem, type ContestProblem } from './validate';

/** A question ready to play: its time limit and points resolved from the round's defaults. */
export type PlayableQuestion = Question & { timeLimitSec: number; points: number };

/** Folders under `dir` that hold a contest.yaml candidate (every sub-folder; a missing file is a problem). */
export async function contestDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Loads every `contests/<id>/contest.yaml`; the folder name is the contest id. Throws listing every problem of every file. */
export async function loadContests(dir: string): Promise<Map<string, Contest>> {
  const contests = new Map<string, Contest>();
  const problems: ContestProblem[] = [];
  for (const contestDir of await contestDirs(dir)) {
    const checked = await checkContestDir(contestDir);
    if (checked.ok) contests.set(checked.contest.id, checked.contest);
    else problems.push(...checked.problems);
  }
  if (problems.length) throw new Error(`invalid contests:\n${problems.map(formatProblem).join('\n')}`);
  return contests;
}

/** Resolves a round's questions (fixed ids, then random draws, then the prediction question). */
export function buildRound(
  contest: Contest,
  roundId: string,
  random: () => number = Math.random,
): { round: Round; questions: PlayableQuestion[] } | null {
  const round = contest.rounds.find((r) => r.id === roundId);
  if (!round) return null;
  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const chosen: Question[] = [];
  const used = new Set<string>();
  const take = (q: Question | undefined) => {
    if (q && !used.has(q.id)) {
      used.add(q.id);
      chosen.push(q);
    }
  };
  for (const id of round.questions) if (id !== round.prediction) take(byId.get(id));
  for (const draw of round.draw) {
    const pool = drawPool(contest, round, draw, used);
    for (let i = 0; i < draw.count && pool.length; i++) take(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  }
  if (round.prediction) take(byId.get(round.prediction));
  const questions = chosen.map((q) => ({
    ...q,
    timeLimitSec: q.timeLimitSec ?? round.defaultTimeLimitSec,
    points: q.points ?? round.defaultPoints,
  }));
  return { round, questions };
}
