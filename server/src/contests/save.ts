// Writing a contest folder's contest.yaml (the contest CLI's spreadsheet import).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Contest } from '../../../protocol/contest';

const QUESTION_KEY_ORDER = [
  'id',
  'type',
  'text',
  'options',
  'correct',
  'answer',
  'answerKnownAfterRound',
  'min',
  'max',
  'tolerance',
  'unit',
];

/** Question keys in the order an author reads them: what is asked, then the answer, then the metadata. */
function orderQuestionKeys(q: Contest['questions'][number]): Record<string, unknown> {
  const entries = Object.entries(q);
  const rank = (k: string) =>
    QUESTION_KEY_ORDER.includes(k) ? QUESTION_KEY_ORDER.indexOf(k) : QUESTION_KEY_ORDER.length;
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b)));
}

/** contest.yaml text for a contest. The id is left out: the folder name is the id. */
export function contestToYaml(contest: Contest): string {
  const { id: _id, questions, ...head } = contest;
  const rest = { ...head, questions: questions.map(orderQuestionKeys) };
  return `# Contest "${contest.id}". Format: docs/contests.md. Check with: npm run contest -- validate contests/${contest.id}\n${stringify(rest, { lineWidth: 0 })}`;
}

/** Writes `<dir>/contest.yaml` atomically (temp file + rename), so a crash never leaves half a contest. */
export async function saveContest(dir: string, contest: Contest): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'contest.yaml');
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, contestToYaml(contest), 'utf8');
  await rename(temp, file);
  return file;
}
