/**
 * Contest authoring tools. Run through npm: `npm run contest -- <command>`.
 *   validate [path]                     check one contest folder, or every folder under a contests dir, and
 *                                       print its statistics (area × group, keys, online pools, sources)
 *   template out.xlsx                   an empty workbook with notes in Vietnamese
 *   import in.xlsx|in.csv --to <dir>    check, then write <dir>/contest.yaml (nothing written on error)
 *   export <id|dir> out.xlsx            the contest as a workbook, for review
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contestDirs } from '../../server/src/contests/load';
import { saveContest } from '../../server/src/contests/save';
import {
  contestTemplateWorkbook,
  exportContestWorkbook,
  importContestWorkbook,
  importQuestionsCsv,
  type SheetProblem,
} from '../../server/src/contests/spreadsheet';
import { contestStatistics, formatStatistics, statisticsWarnings } from '../../server/src/contests/statistics';
import {
  checkContestDir,
  checkContestImages,
  contestWarnings,
  formatProblem,
} from '../../server/src/contests/validate';

const CONTESTS_DIR = 'contests';
const USAGE = `Cách dùng:
  npm run contest -- validate [contests | contests/<mã>]
  npm run contest -- template mau-cuoc-thi.xlsx
  npm run contest -- import tep.xlsx|tep.csv --to contests/<mã>
  npm run contest -- export <mã> tep.xlsx`;

class UsageError extends Error {}

const formatSheetProblem = (p: SheetProblem) =>
  `  ${p.sheet || '(tệp)'}${p.row ? `, dòng ${p.row}` : ''}${p.column ? `, cột ${p.column}` : ''}: ${p.message}`;

/** A folder with contest.yaml is one contest; any other folder is a contests dir. */
function contestFolders(target: string): Promise<string[]> | string[] {
  const dir = target.endsWith('contest.yaml') ? path.dirname(target) : target;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`không tìm thấy thư mục ${dir}`);
  return existsSync(path.join(dir, 'contest.yaml')) ? [dir] : contestDirs(dir);
}

async function validate(target = CONTESTS_DIR): Promise<number> {
  const dirs = await contestFolders(target);
  if (!dirs.length) throw new UsageError(`không có cuộc thi nào trong ${target}`);
  let bad = 0;
  for (const dir of dirs) {
    const checked = await checkContestDir(dir);
    if (checked.ok) {
      console.log(`✓ ${dir}: ${checked.contest.questions.length} câu hỏi, ${checked.contest.rounds.length} vòng thi`);
      // Warnings do not fail the command: the contest is valid, only worth a second look.
      const file = path.join(dir, 'contest.yaml');
      const stats = contestStatistics(checked.contest);
      for (const line of formatStatistics(stats)) console.log(line && `  ${line}`);
      for (const w of [...contestWarnings(checked.contest, file), ...statisticsWarnings(checked.contest, file, stats)])
        console.warn(`  cảnh báo: ${formatProblem(w)}`);
    } else {
      bad++;
      console.error(`✗ ${dir}: ${checked.problems.length} lỗi`);
      for (const p of checked.problems) console.error(`  ${formatProblem(p)}`);
    }
  }
  return bad ? 1 : 0;
}

async function template(out?: string): Promise<number> {
  if (!out) throw new UsageError('thiếu tên tệp .xlsx cần tạo');
  await writeFile(out, await contestTemplateWorkbook());
  console.log(`Đã tạo ${out}`);
  return 0;
}

async function importFile(file?: string, to?: string): Promise<number> {
  if (!file || !to) throw new UsageError('cần tệp nguồn và --to contests/<mã>');
  const id = path.basename(path.resolve(to));
  const data = await readFile(file);
  let result;
  if (file.toLowerCase().endsWith('.csv')) {
    const base = await checkContestDir(to);
    if (!base.ok)
      throw new UsageError(
        `tệp CSV chỉ chứa câu hỏi: ${to}/contest.yaml phải có sẵn và hợp lệ (hoặc dùng tệp .xlsx đủ các trang)`,
      );
    result = importQuestionsCsv(data, base.contest);
  } else {
    result = await importContestWorkbook(data, { id });
  }
  if (!result.ok) {
    console.error(`✗ ${file}: ${result.problems.length} lỗi, chưa ghi gì.`);
    for (const p of result.problems) console.error(formatSheetProblem(p));
    return 1;
  }
  const images = await checkContestImages(result.contest, to, path.join(to, 'contest.yaml'));
  if (images.length) {
    console.error(`✗ ${file}: thiếu ảnh, chép ảnh vào ${to} rồi chạy lại. Chưa ghi gì.`);
    for (const p of images) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  const written = await saveContest(to, result.contest);
  console.log(
    `✓ Đã ghi ${written}: ${result.contest.questions.length} câu hỏi, ${result.contest.rounds.length} vòng thi`,
  );
  return 0;
}

async function exportFile(idOrDir?: string, out?: string): Promise<number> {
  if (!idOrDir || !out) throw new UsageError('cần mã cuộc thi và tên tệp .xlsx');
  const dir = existsSync(path.join(idOrDir, 'contest.yaml')) ? idOrDir : path.join(CONTESTS_DIR, idOrDir);
  const checked = await checkContestDir(dir);
  if (!checked.ok) {
    console.error(`✗ ${dir} có lỗi, sửa trước khi xuất:`);
    for (const p of checked.problems) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  await writeFile(out, await exportContestWorkbook(checked.contest));
  console.log(`✓ Đã xuất ${dir} ra ${out}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const toIndex = rest.indexOf('--to');
  const to = toIndex >= 0 ? rest[toIndex + 1] : undefined;
  const args = toIndex >= 0 ? rest.filter((_, i) => i !== toIndex && i !== toIndex + 1) : rest;
  try {
    switch (command) {
      case 'validate':
        return await validate(args[0]);
      case 'template':
        return await template(args[0]);
      case 'import':
        return await importFile(args[0], to);
      case 'export':
        return await exportFile(args[0], args[1]);
      default:
        throw new UsageError(command ? `không có lệnh "${command}"` : 'thiếu lệnh');
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`Lỗi: ${err.message}\n${USAGE}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
