import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Contest, type Question, type Round } from '../../../protocol/contest';

/** A question ready to play: its time limit and points resolved from the round's defaults. */
export type PlayableQuestion = Question & { timeLimitSec: number; points: number };

/** Loads every `contests/<id>/contest.yaml`; the folder name is the contest id. Throws listing every problem. */
export async function loadContests(dir: string): Promise<Map<string, Contest>> {
  const contests = new Map<string, Contest>();
  const problems: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = path.join(dir, entry.name, 'contest.yaml');
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(file, 'utf8'));
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    const parsed = Contest.safeParse({ ...(raw as object), id: entry.name });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    contests.set(entry.name, parsed.data);
  }
  if (problems.length) throw new Error(`invalid contests:\n${problems.join('\n')}`);
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
  for (const id of round.questions) take(byId.get(id));
  for (const draw of round.draw) {
    const pool = contest.questions.filter(
      (q) =>
        !used.has(q.id) &&
        q.id !== round.prediction &&
        (!draw.area || q.area === draw.area) &&
        (!draw.topic || q.topics.includes(draw.topic)) &&
        (!draw.group || q.groups.includes(draw.group)),
    );
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
