import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  checkContestReferences,
  CheckedContest,
  Contest,
  drawPool,
  Question,
  Round,
  Unit,
} from '../../../protocol/contest';
import { checkCertificateTemplate } from './certificate-template';

/** One problem in one contest file, located well enough for an author to fix it without a debugger. */
export interface ContestProblem {
  file: string;
  /** The question the problem sits in, when it sits in one. */
  questionId?: string;
  /** Dotted path of the field, e.g. `questions[12].correct` or `rounds[1].draw[0].count`. */
  field: string;
  message: string;
}

export type ContestCheck = { ok: true; contest: Contest } | { ok: false; problems: ContestProblem[] };

export function formatProblem(p: ContestProblem): string {
  const where = p.questionId ? `câu "${p.questionId}" › ${p.field}` : p.field || '(tệp)';
  return `${p.file}: ${where}: ${p.message}`;
}

function fieldName(issuePath: readonly PropertyKey[]): string {
  return issuePath.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

/** The id of the question a path points into, read from the raw data (the parsed value may not exist). */
function questionIdAt(raw: unknown, issuePath: readonly PropertyKey[]): string | undefined {
  if (issuePath[0] !== 'questions' || typeof issuePath[1] !== 'number') return undefined;
  const questions = (raw as { questions?: unknown })?.questions;
  const q = Array.isArray(questions) ? questions[issuePath[1]] : undefined;
  const id = (q as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : `#${issuePath[1] + 1}`;
}

/** Validates already-parsed contest data (schema plus cross-checks). `id` is the folder name. */
export function checkContestData(raw: unknown, file: string, id: string): ContestCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      ok: false,
      problems: [
        { file, field: '', message: 'tệp phải chứa một đối tượng YAML (các trường title, rounds, questions, …)' },
      ],
    };
  const parsed = CheckedContest.safeParse({ ...raw, id });
  if (parsed.success) return { ok: true, contest: parsed.data };
  const issues = [...parsed.error.issues, ...crossCheckWhatParses({ ...raw, id })];
  const seen = new Set<string>();
  const problems = issues
    .filter((issue) => {
      const key = `${fieldName(issue.path)}|${issue.message}`;
      return !seen.has(key) && seen.add(key);
    })
    .map((issue) => ({
      file,
      questionId: questionIdAt(raw, issue.path),
      field: fieldName(issue.path),
      message: issue.message,
    }));
  return { ok: false, problems };
}

/**
 * zod skips the contest-level cross-checks when any field fails. To still report every problem in one run,
 * cross-check the items that do parse on their own, mapping paths back to their original indexes.
 */
function crossCheckWhatParses(raw: Record<string, unknown>): { path: PropertyKey[]; message: string }[] {
  const base = Contest.omit({ questions: true, units: true, rounds: true }).safeParse(raw);
  if (!base.success) return [];
  const keep = <T>(
    list: unknown,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ) => {
    const items: T[] = [];
    const indexes: number[] = [];
    (Array.isArray(list) ? list : []).forEach((item, i) => {
      const r = schema.safeParse(item);
      if (r.success) {
        items.push(r.data);
        indexes.push(i);
      }
    });
    return { items, indexes };
  };
  const questions = keep<Question>(raw.questions, Question);
  const units = keep<Unit>(raw.units, Unit);
  const rounds = keep<Round>(raw.rounds, Round);
  const originals: Record<string, number[]> = {
    questions: questions.indexes,
    units: units.indexes,
    rounds: rounds.indexes,
  };
  const contest = { ...base.data, questions: questions.items, units: units.items, rounds: rounds.items } as Contest;
  // Questions that failed on their own are reported already: do not also call them missing or short in a draw.
  const failedIds = (Array.isArray(raw.questions) ? raw.questions : [])
    .filter((_, i) => !questions.indexes.includes(i))
    .map((q) => String((q as { id?: unknown })?.id ?? ''));
  const aboutFailed = (message: string) =>
    failedIds.some((id) => message.includes(`"${id}"`)) ||
    (failedIds.length > 0 && /cần rút|các lượt rút/.test(message));
  return checkContestReferences(contest)
    .filter((issue) => !aboutFailed(issue.message))
    .map((issue) => {
      const [head, index, ...rest] = issue.path;
      const map = typeof head === 'string' ? originals[head] : undefined;
      return map && typeof index === 'number'
        ? { path: [head!, map[index] ?? index, ...rest], message: issue.message }
        : issue;
    });
}

/** Images are referenced relative to contest.yaml: each must exist beside it, inside the folder. */
export async function checkContestImages(contest: Contest, dir: string, file: string): Promise<ContestProblem[]> {
  const problems: ContestProblem[] = [];
  for (const [i, q] of contest.questions.entries()) {
    if (!q.image) continue;
    const target = path.resolve(dir, q.image.src);
    const field = `questions[${i}].image.src`;
    if (path.relative(path.resolve(dir), target).startsWith('..') || path.isAbsolute(q.image.src)) {
      problems.push({ file, questionId: q.id, field, message: `ảnh "${q.image.src}" phải nằm trong thư mục cuộc thi` });
      continue;
    }
    try {
      await access(target);
    } catch {
      problems.push({
        file,
        questionId: q.id,
        field,
        message: `không tìm thấy tệp ảnh "${q.image.src}" cạnh contest.yaml`,
      });
    }
  }
  return problems;
}

/** Reads and checks `<dir>/contest.yaml`, images included. The folder name is the contest id. */
export async function checkContestDir(dir: string): Promise<ContestCheck> {
  const file = path.join(dir, 'contest.yaml');
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (err) {
    return { ok: false, problems: [{ file, field: '', message: (err as Error).message }] };
  }
  const checked = checkContestData(raw, file, path.basename(path.resolve(dir)));
  if (!checked.ok) return checked;
  const images = await checkContestImages(checked.contest, dir, file);
  const certificate = await checkCertificateTemplate(dir);
  if (!certificate.ok) images.push(...certificate.problems);
  return images.length ? { ok: false, problems: images } : checked;
}

/** Below this many single/multiple questions a lopsided answer key is chance, not a habit worth a warning. */
export const KEY_BALANCE_MIN_QUESTIONS = 8;
/** Share of a round's (or draw pool's) correct keys at one option position above which validate warns. */
export const KEY_BALANCE_MAX_SHARE = 0.4;

/**
 * Warnings, not errors (the contest still loads): rounds whose correct answers pile up at one option position
 * (e.g. most keys are A), which lets a contestant score by always picking it. Checked for each round's fixed
 * questions and for each draw's pool, counting every correct option of single and multiple questions that keep
 * their written order (`shuffle: false`): shuffled questions reach phones in a drawn order (one per live game,
 * one per online attempt), so where the bank writes their key does not matter.
 */
export function contestWarnings(contest: Contest, file: string): ContestProblem[] {
  const warnings: ContestProblem[] = [];
  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const check = (questions: Question[], field: string, what: string) => {
    const keyed = questions.filter((q) => (q.type === 'single' || q.type === 'multiple') && !q.shuffle);
    if (keyed.length < KEY_BALANCE_MIN_QUESTIONS) return;
    const at = new Map<number, number>();
    for (const q of keyed)
      for (const c of q.type === 'single' ? [q.correct] : q.type === 'multiple' ? q.correct : [])
        at.set(c, (at.get(c) ?? 0) + 1);
    const total = [...at.values()].reduce((a, b) => a + b, 0);
    const [position, count] = [...at].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    if (count / total <= KEY_BALANCE_MAX_SHARE) return;
    const letter = String.fromCharCode(65 + position);
    warnings.push({
      file,
      field,
      message: `${what}: ${count}/${total} đáp án đúng (${Math.round((100 * count) / total)} %) nằm ở phương án ${letter} trong ${keyed.length} câu một/nhiều đáp án không đảo phương án (shuffle: false); nên đảo thứ tự phương án để không quá ${KEY_BALANCE_MAX_SHARE * 100} % ở một vị trí`,
    });
  };
  contest.rounds.forEach((round, r) => {
    const fixed = round.questions.map((id) => byId.get(id)).filter((q): q is Question => !!q);
    check(fixed, `rounds[${r}].questions`, `vòng "${round.id}"`);
    const used = new Set(round.questions);
    round.draw.forEach((draw, d) =>
      check(
        drawPool(contest, round, draw, used),
        `rounds[${r}].draw[${d}]`,
        `vòng "${round.id}", nhóm câu rút ngẫu nhiên ${d + 1}`,
      ),
    );
  });
  return warnings;
}
