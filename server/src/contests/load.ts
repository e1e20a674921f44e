// Reading contest folders from disk (the bundled contests in CONTESTS_DIR).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Contest } from '../../../protocol/contest';
import { checkContestDir, formatProblem, type ContestProblem } from './validate';

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
