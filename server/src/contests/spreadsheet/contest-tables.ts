import type { ContestImportProblem } from '../../../../protocol/http';
import { CheckedContest, type Contest, type Question, type Round } from '../../../../protocol/contest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseBool, parseList, parseNumber, yesNo } from './cells';
import { COLUMNS, OPTION_LETTERS, SHEETS, type TableName } from './columns';
import { teamsFromCell, teamsToCell } from './teams-cell';

/** One data row of a sheet: its row number in the spreadsheet and its cells by column key. */
export interface TableRow {
  row: number;
  cells: Map<string, string>;
}
export type Tables = Record<TableName, TableRow[]> & { sheetNames: Record<TableName, string> };

/** A problem located where the author can find it: sheet, spreadsheet row number and column key. */
export type SheetProblem = ContestImportProblem;
export type ContestImport = { ok: true; contest: Contest } | { ok: false; problems: SheetProblem[] };

export type CellValue = string | number;
/** What an exporter writes: rows of cells by column key. */
export type PlainTables = Record<TableName, Record<string, CellValue>[]>;

const cell = (r: TableRow, key: string) => r.cells.get(key) ?? '';
const letterOf = (i: number) => OPTION_LETTERS[i] ?? `#${i + 1}`;

/** Where each piece of the contest came from, so schema issues can be reported by sheet, row and column. */
class SourceMap {
  constructor(private readonly tables: Tables) {}
  questionRows: TableRow[] = [];
  optionRows = new Map<string, (TableRow | undefined)[]>();
  unitRows: TableRow[] = [];
  roundRows: TableRow[] = [];
  prizeRows: Record<string, TableRow[]> = { individual: [], perGroup: [], collective: [] };
  contestRows = new Map<string, TableRow>();

  locate(path: readonly PropertyKey[], message: string): SheetProblem {
    const at = (table: TableName, row: TableRow | undefined, column: string) => ({
      sheet: this.tables.sheetNames[table],
      row: row?.row ?? 0,
      column,
      message,
    });
    const [head, index, field, sub] = path;
    if (head === 'questions' && typeof index === 'number') {
      const row = this.questionRows[index];
      if (field === 'options') {
        const id = row ? cell(row, 'id') : '';
        const optionRows = this.optionRows.get(id);
        if (typeof sub === 'number' && optionRows?.[sub]) return at('options', optionRows[sub], 'text');
        if (typeof sub === 'number' && row) return at('questions', row, `option${letterOf(sub)}`);
        return optionRows?.[0] ? at('options', optionRows[0], 'option') : at('questions', row, 'correct');
      }
      if (field === 'source') return at('questions', row, sub === 'url' ? 'sourceUrl' : 'sourceTitle');
      if (field === 'image') return at('questions', row, sub === 'alt' ? 'imageAlt' : 'imageSrc');
      return at('questions', row, typeof field === 'string' ? field : 'id');
    }
    if (head === 'units' && typeof index === 'number') return at('units', this.unitRows[index], String(field ?? 'id'));
    // Online settings sit in their own columns, named like the fields (perPeriod's parts share one column).
    if (head === 'rounds' && typeof index === 'number')
      return at(
        'rounds',
        this.roundRows[index],
        field === 'online' && typeof sub === 'string' ? sub : String(field ?? 'id'),
      );
    if (head === 'rounds') return at('rounds', undefined, 'id');
    if (head === 'prizes' && typeof index === 'string' && typeof field === 'number')
      return at('prizes', this.prizeRows[index]?.[field], String(sub ?? 'id'));
    if (head === 'questions') return at('questions', undefined, 'id');
    // prizes.rounds, prizes.eligibility.minCorrect, prizes.onePerPerson → their rows of the contest sheet.
    if (head === 'prizes' && typeof index === 'string') {
      const key =
        index === 'eligibility'
          ? `prize${String(field ?? '').replace(/^./, (c) => c.toUpperCase())}`
          : `prize${index.replace(/^./, (c) => c.toUpperCase())}`;
      return at('contest', this.contestRows.get(key), 'value');
    }
    const key = head === 'ranking' ? 'tieBreak' : String(head ?? '');
    return at('contest', this.contestRows.get(key), 'value');
  }
}

function readOptions(r: TableRow): string[] {
  const inline: string[] = [];
  for (const letter of OPTION_LETTERS) inline.push(cell(r, `option${letter}`));
  while (inline.length && inline[inline.length - 1] === '') inline.pop();
  return inline;
}

function questionFromRow(
  r: TableRow,
  sheetOptions: { row: TableRow; text: string }[] | undefined,
  problem: (row: TableRow, column: string, message: string) => void,
): Record<string, unknown> {
  const type = cell(r, 'type');
  const q: Record<string, unknown> = { id: cell(r, 'id'), type };
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== '') q[key] = value;
  };
  set('text', cell(r, 'text'));
  set('explanation', cell(r, 'explanation'));
  const sourceTitle = cell(r, 'sourceTitle');
  const sourceUrl = cell(r, 'sourceUrl');
  if (sourceTitle || sourceUrl) q.source = sourceUrl ? { title: sourceTitle, url: sourceUrl } : { title: sourceTitle };
  const imageSrc = cell(r, 'imageSrc');
  const imageAlt = cell(r, 'imageAlt');
  if (imageSrc || imageAlt) q.image = { src: imageSrc, alt: imageAlt };
  set('area', cell(r, 'area'));
  set('topics', parseList(cell(r, 'topics')));
  set('groups', parseList(cell(r, 'groups')));
  set('difficulty', parseNumber(cell(r, 'difficulty')));
  set('timeLimitSec', parseNumber(cell(r, 'timeLimitSec')));
  set('points', parseNumber(cell(r, 'points')));
  set('shuffle', parseBool(cell(r, 'shuffle')));

  const inline = readOptions(r);
  const hasOptions = type === 'single' || type === 'multiple' || type === 'poll';
  if (inline.length && sheetOptions?.length)
    problem(r, 'optionA', 'phương án ghi ở cả cột optionA…F lẫn trang Lựa chọn: chỉ ghi một nơi');
  const options = sheetOptions?.length ? sheetOptions.map((o) => o.text) : inline;
  if (hasOptions) q.options = options;
  else if (options.length)
    problem(
      sheetOptions?.[0]?.row ?? r,
      sheetOptions?.length ? 'questionId' : 'optionA',
      `câu loại ${type} không có phương án lựa chọn`,
    );

  const correct = cell(r, 'correct');
  if (type === 'single' || type === 'multiple') {
    const letters = parseList(correct.replace(/\s+/g, ',')) ?? [];
    const indexes: number[] = [];
    for (const letter of letters) {
      const i = OPTION_LETTERS.indexOf(letter.toUpperCase() as (typeof OPTION_LETTERS)[number]);
      if (i < 0) problem(r, 'correct', `"${letter}" không phải chữ cái phương án (${OPTION_LETTERS.join(', ')})`);
      else indexes.push(i);
    }
    if (type === 'single' && indexes.length > 1) problem(r, 'correct', 'câu một đáp án (single) chỉ ghi một chữ cái');
    if (indexes.length === letters.length && indexes.length) q.correct = type === 'single' ? indexes[0] : indexes;
  } else if (type === 'true-false') {
    set('correct', parseBool(correct));
  } else if (correct) {
    problem(r, 'correct', `câu loại ${type || '(chưa ghi loại)'} không dùng cột correct`);
  }
  if (type === 'numeric') {
    set('answer', parseNumber(cell(r, 'answer')));
    set('min', parseNumber(cell(r, 'min')));
    set('max', parseNumber(cell(r, 'max')));
    set('tolerance', parseNumber(cell(r, 'tolerance')));
    set('unit', cell(r, 'unit'));
    set('answerKnownAfterRound', parseBool(cell(r, 'answerKnownAfterRound')));
  } else {
    for (const key of ['answer', 'min', 'max', 'tolerance', 'unit', 'answerKnownAfterRound'])
      if (cell(r, key)) problem(r, key, `chỉ dùng cho câu numeric, câu này là ${type || '(chưa ghi loại)'}`);
  }
  return q;
}

const ONLINE_COLUMNS = [
  'opensAt',
  'closesAt',
  'timeLimitMin',
  'attempts',
  'perPeriod',
  'counts',
  'revealAnswers',
  'excludeLiveQuestions',
  'drawByGroup',
  'qualifiers',
  'extraTimeFactor',
];

/** A round's online settings from its columns; undefined when every one is blank (a live round). */
function onlineFromRow(
  r: TableRow,
  fail: (column: string, message: string) => void,
): Record<string, unknown> | undefined {
  if (ONLINE_COLUMNS.every((key) => cell(r, key) === '')) return undefined;
  const online: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== '') online[key] = value;
  };
  put('opensAt', cell(r, 'opensAt'));
  put('closesAt', cell(r, 'closesAt'));
  put('timeLimitMin', parseNumber(cell(r, 'timeLimitMin')));
  put('attempts', parseNumber(cell(r, 'attempts')));
  const period = cell(r, 'perPeriod');
  if (period) {
    const m = period.replace(/\s/g, '').match(/^(\d+)\/(\d+)$/);
    if (m) online.perPeriod = { attempts: Number(m[1]), days: Number(m[2]) };
    else fail('perPeriod', `"${period}" không hợp lệ: ghi dạng lượt/ngày, vd "1/7"`);
  }
  put('counts', cell(r, 'counts'));
  put('revealAnswers', cell(r, 'revealAnswers'));
  put('excludeLiveQuestions', parseBool(cell(r, 'excludeLiveQuestions')));
  put('drawByGroup', parseBool(cell(r, 'drawByGroup')));
  put('extraTimeFactor', parseNumber(cell(r, 'extraTimeFactor')));
  const qualifiers = cell(r, 'qualifiers');
  if (qualifiers) {
    const q: Record<string, unknown> = {};
    for (const token of qualifiers.split(/[;,\s]+/).filter(Boolean)) {
      const [key, value] = token.split('=');
      if ((key === 'overall' || key === 'perGroup') && value !== undefined) q[key] = parseNumber(value);
      else fail('qualifiers', `"${token}" không hợp lệ: dùng overall=…, perGroup=…`);
    }
    online.qualifiers = q;
  }
  return online;
}

function onlineToRow(online: Round['online']): Record<string, CellValue> {
  if (!online) return {};
  return {
    opensAt: online.opensAt,
    closesAt: online.closesAt,
    timeLimitMin: online.timeLimitMin,
    attempts: online.attempts,
    perPeriod: online.perPeriod ? `${online.perPeriod.attempts}/${online.perPeriod.days}` : '',
    counts: online.counts,
    revealAnswers: online.revealAnswers,
    excludeLiveQuestions: yesNo(online.excludeLiveQuestions),
    drawByGroup: yesNo(online.drawByGroup),
    extraTimeFactor: online.extraTimeFactor,
    qualifiers: online.qualifiers
      ? [
          online.qualifiers.overall !== undefined && `overall=${online.qualifiers.overall}`,
          online.qualifiers.perGroup !== undefined && `perGroup=${online.qualifiers.perGroup}`,
        ]
          .filter(Boolean)
          .join('; ')
      : '',
  };
}

/** "5 area=safety; 3 topic=scams group=nguoi-dan" → draw rules. */
function parseDraw(text: string, fail: (message: string) => void): Record<string, unknown>[] | undefined {
  if (!text) return undefined;
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const rule: Record<string, unknown> = {};
      for (const token of part.split(/\s+/)) {
        const [key, value] = token.split('=');
        if (value === undefined) rule.count = parseNumber(key ?? '');
        else if (key === 'area' || key === 'topic' || key === 'group') rule[key] = value;
        else fail(`"${token}" không hợp lệ: dùng area=…, topic=…, group=…`);
      }
      return rule;
    });
}

/** Contest-sheet keys of `prizes.eligibility`. */
const ELIGIBILITY_KEYS: Record<string, string> = {
  prizeMinCorrect: 'minCorrect',
  prizeMinScore: 'minScore',
  prizeMinEntrantsPerGroup: 'minEntrantsPerGroup',
};

/** Turns the tables of a workbook into a contest, checked by the same schema as contest.yaml. */
export function contestFromTables(tables: Tables, id?: string): ContestImport {
  const problems: SheetProblem[] = [];
  const map = new SourceMap(tables);
  const problemIn = (table: TableName) => (row: TableRow, column: string, message: string) =>
    problems.push({ sheet: tables.sheetNames[table], row: row.row, column, message });

  const raw: Record<string, unknown> = {};
  const prizeSettings: Record<string, unknown> = {};
  const eligibility: Record<string, unknown> = {};
  for (const r of tables.contest) {
    const key = cell(r, 'key');
    if (!key) continue;
    map.contestRows.set(key, r);
    const value = cell(r, 'value');
    if (value === '') continue;
    if (key === 'maskNames') raw.maskNames = parseBool(value);
    else if (key === 'personalDataRetentionDays') raw.personalDataRetentionDays = Number(value);
    else if (key === 'tieBreak') raw.ranking = { tieBreak: parseList(value) };
    else if (key === 'prizeRounds') prizeSettings.rounds = parseList(value);
    else if (key === 'prizeOnePerPerson') prizeSettings.onePerPerson = parseBool(value);
    else if (key in ELIGIBILITY_KEYS) eligibility[ELIGIBILITY_KEYS[key]!] = parseNumber(value);
    else if (key === 'practice' || key === 'badges') {
      // Written as YAML in one cell, as in contest.yaml; the schema checks it and points at this row.
      try {
        raw[key] = parseYaml(value);
      } catch (err) {
        problemIn('contest')(r, 'value', `không đọc được YAML: ${(err as Error).message.split('\n')[0]}`);
      }
    } else if (['id', 'title', 'organiser', 'startsAt', 'endsAt', 'description', 'privacyNotice'].includes(key))
      raw[key] = value;
    else problemIn('contest')(r, 'key', `trường "${key}" không có trong định dạng cuộc thi`);
  }
  if (id) raw.id = id;

  const optionsByQuestion = new Map<string, { row: TableRow; text: string; index: number }[]>();
  for (const r of tables.options) {
    const qid = cell(r, 'questionId');
    const letter = cell(r, 'option').toUpperCase();
    const index = OPTION_LETTERS.indexOf(letter as (typeof OPTION_LETTERS)[number]);
    if (!qid) problemIn('options')(r, 'questionId', 'thiếu mã câu hỏi');
    else if (index < 0)
      problemIn('options')(r, 'option', `"${letter}" không phải chữ cái phương án (${OPTION_LETTERS.join(', ')})`);
    else {
      const list = optionsByQuestion.get(qid) ?? [];
      if (list.some((o) => o.index === index))
        problemIn('options')(r, 'option', `câu "${qid}" đã có phương án ${letter}`);
      else list.push({ row: r, text: cell(r, 'text'), index });
      optionsByQuestion.set(qid, list);
    }
  }
  const questionIds = new Set(tables.questions.map((r) => cell(r, 'id')));
  for (const [qid, list] of optionsByQuestion) {
    if (!questionIds.has(qid))
      problemIn('options')(
        list[0]!.row,
        'questionId',
        `không có câu hỏi mã "${qid}" ở trang ${tables.sheetNames.questions}`,
      );
    list.sort((a, b) => a.index - b.index);
    list.forEach((o, i) => {
      if (o.index !== i) problemIn('options')(o.row, 'option', `phương án phải liên tiếp từ A: thiếu ${letterOf(i)}`);
    });
    map.optionRows.set(
      qid,
      list.map((o) => o.row),
    );
  }

  raw.questions = tables.questions.map((r) => {
    map.questionRows.push(r);
    return questionFromRow(r, optionsByQuestion.get(cell(r, 'id')), problemIn('questions'));
  });
  raw.units = tables.units.map((r) => {
    map.unitRows.push(r);
    const unit: Record<string, unknown> = { id: cell(r, 'id'), name: cell(r, 'name'), kind: cell(r, 'kind') };
    const headcount = parseNumber(cell(r, 'headcount'));
    if (headcount !== undefined) unit.headcount = headcount;
    return unit;
  });
  raw.rounds = tables.rounds.map((r) => {
    map.roundRows.push(r);
    const round: Record<string, unknown> = { id: cell(r, 'id'), title: cell(r, 'title') };
    const put = (key: string, value: unknown) => {
      if (value !== undefined && value !== '') round[key] = value;
    };
    put('mode', cell(r, 'mode'));
    put('scoring', cell(r, 'scoring'));
    put('streakBonus', parseBool(cell(r, 'streakBonus')));
    put('defaultTimeLimitSec', parseNumber(cell(r, 'defaultTimeLimitSec')));
    put('defaultPoints', parseNumber(cell(r, 'defaultPoints')));
    put('questions', parseList(cell(r, 'questions')));
    put(
      'draw',
      parseDraw(cell(r, 'draw'), (message) => problemIn('rounds')(r, 'draw', message)),
    );
    put('prediction', cell(r, 'prediction'));
    const online = onlineFromRow(r, (column, message) => problemIn('rounds')(r, column, message));
    if (online) round.online = online;
    put(
      'teams',
      teamsFromCell(cell(r, 'teams'), (message) => problemIn('rounds')(r, 'teams', message)),
    );
    return round;
  });
  const prizes: Record<string, Record<string, unknown>[]> = { individual: [], perGroup: [], collective: [] };
  for (const r of tables.prizes) {
    const scope = cell(r, 'scope');
    const list = prizes[scope];
    if (!list) {
      problemIn('prizes')(r, 'scope', `"${scope}" không hợp lệ: individual, perGroup hoặc collective`);
      continue;
    }
    map.prizeRows[scope]!.push(r);
    const rounds = parseList(cell(r, 'rounds'));
    const by = cell(r, 'by');
    list.push({
      id: cell(r, 'id'),
      label: cell(r, 'label'),
      count: parseNumber(cell(r, 'count')),
      ...(rounds ? { rounds } : {}),
      ...(by ? { by } : {}),
    });
  }
  raw.prizes = { ...prizeSettings, ...(Object.keys(eligibility).length ? { eligibility } : {}), ...prizes };

  const parsed = CheckedContest.safeParse(raw);
  if (parsed.success && !problems.length) return { ok: true, contest: parsed.data };
  if (!parsed.success) {
    const seen = new Set(problems.map((p) => `${p.sheet}|${p.row}|${p.column}`));
    for (const issue of parsed.error.issues) {
      const located = map.locate(issue.path, issue.message);
      // A cell already reported while reading (e.g. a bad letter) needs no second, vaguer message.
      if (!seen.has(`${located.sheet}|${located.row}|${located.column}`)) problems.push(located);
    }
  }
  problems.sort((a, b) => a.sheet.localeCompare(b.sheet) || a.row - b.row);
  return { ok: false, problems };
}

function questionToRow(q: Question): Record<string, CellValue> {
  const row: Record<string, CellValue> = {
    id: q.id,
    type: q.type,
    text: q.text,
    explanation: q.explanation,
    sourceTitle: q.source.title,
    sourceUrl: q.source.url ?? '',
    area: q.area,
    topics: q.topics.join(', '),
    groups: q.groups.join(', '),
    difficulty: q.difficulty,
    timeLimitSec: q.timeLimitSec ?? '',
    points: q.points ?? '',
    imageSrc: q.image?.src ?? '',
    imageAlt: q.image?.alt ?? '',
    shuffle: q.shuffle ? '' : 'không',
  };
  if (q.type === 'single') row.correct = letterOf(q.correct);
  if (q.type === 'multiple') row.correct = q.correct.map(letterOf).join(', ');
  if (q.type === 'true-false') row.correct = q.correct ? 'đúng' : 'sai';
  if (q.type === 'numeric') {
    Object.assign(row, { answer: q.answer, min: q.min, max: q.max, tolerance: q.tolerance, unit: q.unit ?? '' });
    row.answerKnownAfterRound = q.answerKnownAfterRound ? 'có' : '';
  }
  return row;
}

/** The contest as plain tables, ready to write to a workbook; contestFromTables reads it back unchanged. */
export function contestToTables(contest: Contest): PlainTables {
  const contestRows: Record<string, CellValue>[] = [
    { key: 'id', value: contest.id },
    { key: 'title', value: contest.title },
    { key: 'organiser', value: contest.organiser },
    { key: 'startsAt', value: contest.startsAt ?? '' },
    { key: 'endsAt', value: contest.endsAt ?? '' },
    { key: 'description', value: contest.description },
    { key: 'privacyNotice', value: contest.privacyNotice },
    { key: 'maskNames', value: yesNo(contest.maskNames) },
    { key: 'personalDataRetentionDays', value: String(contest.personalDataRetentionDays) },
    { key: 'tieBreak', value: contest.ranking.tieBreak.join(', ') },
    { key: 'prizeRounds', value: contest.prizes.rounds?.join(', ') ?? '' },
    { key: 'prizeMinCorrect', value: String(contest.prizes.eligibility.minCorrect) },
    { key: 'prizeMinScore', value: String(contest.prizes.eligibility.minScore) },
    { key: 'prizeMinEntrantsPerGroup', value: String(contest.prizes.eligibility.minEntrantsPerGroup) },
    { key: 'prizeOnePerPerson', value: yesNo(contest.prizes.onePerPerson) },
    { key: 'practice', value: contest.practice ? stringifyYaml(contest.practice) : '' },
    { key: 'badges', value: contest.badges.length ? stringifyYaml(contest.badges) : '' },
  ];
  return {
    contest: contestRows,
    questions: contest.questions.map(questionToRow),
    options: contest.questions.flatMap((q) =>
      'options' in q ? q.options.map((text, i) => ({ questionId: q.id, option: letterOf(i), text })) : [],
    ),
    units: contest.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, headcount: u.headcount ?? '' })),
    rounds: contest.rounds.map((r) => ({
      id: r.id,
      title: r.title,
      mode: r.mode,
      scoring: r.scoring,
      streakBonus: yesNo(r.streakBonus),
      defaultTimeLimitSec: r.defaultTimeLimitSec,
      defaultPoints: r.defaultPoints,
      questions: r.questions.join(', '),
      draw: r.draw
        .map((d) =>
          [String(d.count), d.area && `area=${d.area}`, d.topic && `topic=${d.topic}`, d.group && `group=${d.group}`]
            .filter(Boolean)
            .join(' '),
        )
        .join('; '),
      prediction: r.prediction ?? '',
      ...onlineToRow(r.online),
      teams: teamsToCell(r.teams),
    })),
    prizes: (['individual', 'perGroup', 'collective'] as const).flatMap((scope) =>
      contest.prizes[scope].map((p) => ({
        scope,
        id: p.id,
        label: p.label,
        count: p.count,
        rounds: p.rounds?.join(', ') ?? '',
        by: p.by ?? '',
      })),
    ),
  };
}

export const defaultSheetNames = Object.fromEntries(
  (Object.keys(COLUMNS) as TableName[]).map((t) => [t, SHEETS[t].name]),
) as Record<TableName, string>;
