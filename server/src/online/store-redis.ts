// Redis driver of the online store: any node serves any contestant. Keys under `<prefix>on:{<contestId>}:`:
//   phones (hash phone → id), contestants (hash id → JSON, written once), tokens (hash tokenHash → id),
//   a:<attemptId> (hash: meta fields, q:<questionId> = "index|option order", a:<index> = "msSinceStart|choice"),
//   r:<roundId>:me:<contestantId> (hash: starts, open, counting, score, member, cat, scored),
//   r:<roundId>:rank (sorted set, lower first), r:<roundId>:counters (hash), v:<name> (set-once values, the board
//   snapshot), lease:<name>, origin:<hash> (set) + origins (sorted set by size), invitations + invitation-uses (hashes).
// An answer write is one HSET of one small field, not a rewrite of the attempt.
import { Redis } from 'ioredis';
import type { AttemptResult } from '../../../protocol/online';
import { contestantOfMember } from './ranking-key';
import type { AttemptRules } from './round-window';
import {
  APPLY_ATTEMPT_SCORE,
  READ_COUNTING_PAGE,
  REGISTER_CONTESTANT,
  RELEASE_INVITATION,
  SAVE_ATTEMPT_ANSWER,
  START_ATTEMPT,
  SUBMIT_ATTEMPT,
} from './store-redis-scripts';
import type {
  AttemptRecord,
  AttemptScore,
  ContestantRecord,
  OnlineStore,
  RoundCounters,
  SaveAnswerResult,
  StartAttemptResult,
  SubmitAttemptResult,
} from './store';

interface Scripts {
  cdsOnRegister(k1: string, k2: string, k3: string, ...argv: string[]): Promise<number>;
  cdsOnStart(k1: string, k2: string, ...argv: (string | number)[]): Promise<string[]>;
  cdsOnSave(k1: string, ...argv: (string | number)[]): Promise<string[]>;
  cdsOnSubmit(k1: string, ...argv: (string | number)[]): Promise<string[]>;
  cdsOnScore(k1: string, k2: string, k3: string, k4: string, ...argv: (string | number)[]): Promise<number>;
  cdsOnCountingPage(k1: string, k2: string, ...argv: (string | number)[]): Promise<unknown>;
}

const json = <T>(s: string | null | undefined): T | null => (s == null ? null : (JSON.parse(s) as T));

/** A result in a few bytes (under the listpack limit): "correct,total,answered,timeMs,submittedAt,guess". */
function encodeResult(r: AttemptResult): string {
  return [r.correct, r.total, r.answered, r.timeMs, r.submittedAt, r.predictionGuess ?? ''].join(',');
}
function decodeResult(s: string): AttemptResult {
  const [correct, total, answered, timeMs, submittedAt, guess] = s.split(',');
  return {
    correct: Number(correct),
    total: Number(total),
    answered: Number(answered),
    timeMs: Number(timeMs),
    submittedAt: Number(submittedAt),
    predictionGuess: guess ? Number(guess) : null,
  };
}

/**
 * An attempt from its hash's fields and values in turn (HGETALL's reply); null when the hash does not exist. One
 * pass with no intermediate object: a whole round's read decodes 200,000 of them.
 */
function decodeAttempt(fields: readonly string[]): AttemptRecord | null {
  const h: Record<string, string> = {};
  const drawn: { id: string; index: number; perm: number[] }[] = [];
  const byIndex: ({ at: number; choice: number | number[] } | undefined)[] = [];
  const answerAt: [number, string][] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const field = fields[i]!;
    const value = fields[i + 1]!;
    if (field.startsWith('q:')) {
      const bar = value.indexOf('|');
      const perm = value.slice(bar + 1);
      drawn.push({
        id: field.slice(2),
        index: Number(value.slice(0, bar)),
        perm: perm ? perm.split(',').map(Number) : [],
      });
    } else if (field.startsWith('a:')) answerAt.push([Number(field.slice(2)), value]);
    else h[field] = value;
  }
  if (!h.id) return null;
  const startedAt = Number(h.startedAt);
  for (const [index, value] of answerAt) {
    const bar = value.indexOf('|');
    const choice = value.slice(bar + 1);
    byIndex[index] = {
      at: startedAt + Number(value.slice(0, bar)),
      choice: choice.startsWith('[') ? (JSON.parse(choice) as number[]) : Number(choice),
    };
  }
  const answers: AttemptRecord['answers'] = {};
  for (const q of drawn) {
    const answer = byIndex[q.index];
    if (answer) answers[q.id] = answer;
  }
  return {
    id: h.id,
    roundId: h.round!,
    contestantId: h.ct!,
    status: h.status as AttemptRecord['status'],
    startedAt,
    deadline: Number(h.deadline),
    questions: drawn.sort((a, b) => a.index - b.index).map(({ id, perm }) => ({ id, perm })),
    answers,
    submittedAt: h.sub ? Number(h.sub) : null,
    submitReason: (h.reason as AttemptRecord['submitReason']) ?? null,
    result: h.result ? decodeResult(h.result) : null,
  };
}

export class RedisOnlineStore implements OnlineStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis & Scripts;
  private offsetMs = 0;

  constructor(
    url: string,
    private readonly prefix = 'cds:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true }) as Redis & Scripts;
    this.redis.on('error', () => {}); // reconnects on its own; /readyz reports the main store
    const define = (name: keyof Scripts, lua: string, numberOfKeys: number) =>
      this.redis.defineCommand(name, { lua, numberOfKeys });
    define('cdsOnRegister', REGISTER_CONTESTANT, 3);
    define('cdsOnStart', START_ATTEMPT, 2);
    define('cdsOnSave', SAVE_ATTEMPT_ANSWER, 1);
    define('cdsOnSubmit', SUBMIT_ATTEMPT, 1);
    define('cdsOnScore', APPLY_ATTEMPT_SCORE, 4);
    define('cdsOnCountingPage', READ_COUNTING_PAGE, 2);
  }

  private k(contestId: string, ...parts: string[]) {
    return [`${this.prefix}on:{${contestId}}`, ...parts].join(':');
  }
  private attemptKey(contestId: string, attemptId: string) {
    return this.k(contestId, 'a', attemptId);
  }
  private meKey(contestId: string, roundId: string, contestantId: string) {
    return this.k(contestId, 'r', roundId, 'me', contestantId);
  }

  async now() {
    const [s, us] = await this.redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000) + this.offsetMs;
  }
  shiftClock(ms: number) {
    this.offsetMs += ms;
  }
  /** How far shiftClock moved this clock (tests): a results worker's own connection is moved as far. */
  get clockShiftMs() {
    return this.offsetMs;
  }

  async register(contestId: string, contestant: ContestantRecord, tokenHash: string) {
    const done = await this.redis.cdsOnRegister(
      this.k(contestId, 'phones'),
      this.k(contestId, 'contestants'),
      this.k(contestId, 'tokens'),
      contestant.phone,
      contestant.id,
      JSON.stringify(contestant),
      tokenHash,
    );
    return done === 1 ? { ok: true as const } : { ok: false as const, code: 'ALREADY_REGISTERED' as const };
  }
  async contestantByPhone(contestId: string, phone: string) {
    const id = await this.redis.hget(this.k(contestId, 'phones'), phone);
    return id ? this.getContestant(contestId, id) : null;
  }
  async contestantByToken(contestId: string, tokenHash: string) {
    const id = await this.redis.hget(this.k(contestId, 'tokens'), tokenHash);
    return id ? this.getContestant(contestId, id) : null;
  }
  async getContestant(contestId: string, contestantId: string) {
    return json<ContestantRecord>(await this.redis.hget(this.k(contestId, 'contestants'), contestantId));
  }
  async addToken(contestId: string, contestantId: string, tokenHash: string) {
    await this.redis.hset(this.k(contestId, 'tokens'), tokenHash, contestantId);
  }
  async registrations(contestId: string) {
    return this.redis.hlen(this.k(contestId, 'contestants'));
  }

  async startAttempt(
    contestId: string,
    draft: { id: string; roundId: string; contestantId: string; questions: AttemptRecord['questions'] },
    rules: AttemptRules,
    graceMs: number,
  ): Promise<StartAttemptResult> {
    // Every field stays under Redis' 64-byte listpack limit, so an attempt hash stays compact.
    const pairs = draft.questions.flatMap((q, i) => [q.id, `${i}|${q.perm.join(',')}`]);
    const [code, a, b, c] = await this.redis.cdsOnStart(
      this.meKey(contestId, draft.roundId, draft.contestantId),
      this.attemptKey(contestId, draft.id),
      this.offsetMs,
      `${this.k(contestId, 'a')}:`,
      graceMs,
      rules.opensAt,
      rules.closesAt,
      rules.limitMs,
      rules.total,
      rules.periodAttempts,
      rules.periodMs,
      draft.id,
      draft.roundId,
      draft.contestantId,
      ...pairs,
    );
    if (code === 'EXISTING') return { ok: 'existing', attemptId: a! };
    const expired = a || null;
    if (code === 'OK') {
      const attempt: AttemptRecord = {
        ...structuredClone(draft),
        status: 'open',
        startedAt: Number(b),
        deadline: Number(c),
        answers: {},
        submittedAt: null,
        submitReason: null,
        result: null,
      };
      return { ok: true, attempt, expired };
    }
    return {
      ok: false,
      code: code as Exclude<StartAttemptResult, { ok: true } | { ok: 'existing' }>['code'],
      expired,
      ...(b ? { nextAt: Number(b) } : {}),
    };
  }

  async getAttempt(contestId: string, attemptId: string): Promise<AttemptRecord | null> {
    return decodeAttempt(Object.entries(await this.redis.hgetall(this.attemptKey(contestId, attemptId))).flat());
  }
  async saveAnswer(
    contestId: string,
    attemptId: string,
    contestantId: string,
    questionId: string,
    choice: number | number[],
    graceMs: number,
  ): Promise<SaveAnswerResult> {
    const [code, remaining] = await this.redis.cdsOnSave(
      this.attemptKey(contestId, attemptId),
      this.offsetMs,
      contestantId,
      questionId,
      JSON.stringify(choice),
      graceMs,
    );
    return code === 'OK'
      ? { ok: true, remainingMs: Number(remaining) }
      : { ok: false, code: code as Exclude<SaveAnswerResult, { ok: true }>['code'] };
  }
  async submitAttempt(
    contestId: string,
    attemptId: string,
    contestantId: string | null,
    graceMs: number,
  ): Promise<SubmitAttemptResult> {
    const [code, status, sub, changed] = await this.redis.cdsOnSubmit(
      this.attemptKey(contestId, attemptId),
      this.offsetMs,
      contestantId ?? '',
      graceMs,
      `${this.k(contestId, 'r')}:`,
    );
    if (code !== 'OK') return { ok: false, code: code as 'ATTEMPT_NOT_FOUND' | 'NOT_DUE' };
    return { ok: true, status: status as 'submitted' | 'scored', submittedAt: Number(sub), changed: changed === '1' };
  }
  async applyScore(contestId: string, s: AttemptScore) {
    const applied = await this.redis.cdsOnScore(
      this.attemptKey(contestId, s.attemptId),
      this.meKey(contestId, s.roundId, s.contestantId),
      this.k(contestId, 'r', s.roundId, 'rank'),
      this.k(contestId, 'r', s.roundId, 'counters'),
      encodeResult(s.result),
      String(s.score),
      s.member,
      s.counts,
      s.unit,
      s.group,
      s.result.submittedAt,
    );
    return applied === 1;
  }

  async myRound(contestId: string, roundId: string, contestantId: string) {
    const [starts, open, counting, member] = await this.redis.hmget(
      this.meKey(contestId, roundId, contestantId),
      'starts',
      'open',
      'counting',
      'member',
    );
    return {
      starts: starts ? starts.split(',').map(Number) : [],
      open: open ?? null,
      counting: counting ?? null,
      member: member ?? null,
    };
  }
  async rankOf(contestId: string, roundId: string, member: string | null) {
    const key = this.k(contestId, 'r', roundId, 'rank');
    const [rank, ranked] = await Promise.all([
      member ? this.redis.zrank(key, member) : Promise.resolve(null),
      this.redis.zcard(key),
    ]);
    return { rank: rank === null ? null : rank + 1, ranked };
  }
  async ranking(contestId: string, roundId: string, offset: number, limit: number) {
    const members = await this.redis.zrange(this.k(contestId, 'r', roundId, 'rank'), offset, offset + limit - 1);
    const ids = members.map(contestantOfMember);
    const counting = await Promise.all(
      ids.map((id) => this.redis.hget(this.meKey(contestId, roundId, id), 'counting')),
    );
    return ids.map((contestantId, i) => ({ contestantId, attemptId: counting[i]! }));
  }
  async countingPage(contestId: string, roundId: string, offset: number, limit: number) {
    const page = (await this.redis.cdsOnCountingPage(
      this.k(contestId, 'r', roundId, 'rank'),
      this.k(contestId, 'contestants'),
      `${this.k(contestId, 'r', roundId, 'me')}:`,
      `${this.k(contestId, 'a')}:`,
      offset,
      limit,
    )) as [string, string | null, string[], string | null][];
    return page.map(([, attemptId, fields, contestant]) => ({
      attempt: attemptId ? decodeAttempt(fields) : null,
      contestant: json<ContestantRecord>(contestant),
    }));
  }
  async counters(contestId: string, roundId: string): Promise<RoundCounters> {
    const h = await this.redis.hgetall(this.k(contestId, 'r', roundId, 'counters'));
    const out: RoundCounters = {
      participants: Number(h.participants ?? 0),
      attempts: Number(h.attempts ?? 0),
      units: {},
      groups: {},
    };
    for (const [field, value] of Object.entries(h)) {
      const m = field.match(/^(u|g):(.+):(participants|attempts)$/);
      if (!m) continue;
      const table = m[1] === 'u' ? out.units : out.groups;
      (table[m[2]!] ??= { participants: 0, attempts: 0 })[m[3] as 'participants' | 'attempts'] = Number(value);
    }
    return out;
  }
  /** Bytes Redis uses for one key (MEMORY USAGE), for sizing notes and tests. */
  async bytesOf(contestId: string, ...parts: string[]) {
    return Number((await this.redis.call('MEMORY', 'USAGE', this.k(contestId, ...parts), 'SAMPLES', '0')) ?? 0);
  }
  async setOnce(contestId: string, name: string, value: string) {
    const key = this.k(contestId, 'v', name);
    await this.redis.set(key, value, 'NX');
    return (await this.redis.get(key)) ?? value;
  }
  async setValue(contestId: string, name: string, value: string, ttlMs?: number) {
    if (ttlMs) await this.redis.set(this.k(contestId, 'v', name), value, 'PX', ttlMs);
    else await this.redis.set(this.k(contestId, 'v', name), value);
  }
  getValue(contestId: string, name: string) {
    return this.redis.get(this.k(contestId, 'v', name));
  }
  async lease(contestId: string, name: string, holder: string, ttlMs: number) {
    const key = this.k(contestId, 'lease', name);
    if ((await this.redis.set(key, holder, 'PX', ttlMs, 'NX')) === 'OK') return true;
    // The holder renews its own lease (a plain check-then-set: a lost race only skips one tick).
    if ((await this.redis.get(key)) !== holder) return false;
    await this.redis.pexpire(key, ttlMs);
    return true;
  }
  async addOrigin(contestId: string, origin: string, contestantId: string) {
    // A set per origin and a sorted set of origins by size: the crowded ones are one ZRANGEBYSCORE away.
    if (await this.redis.sadd(this.k(contestId, 'origin', origin), contestantId))
      await this.redis.zincrby(this.k(contestId, 'origins'), 1, origin);
  }
  async crowdedOrigins(contestId: string, min: number, limit: number) {
    const origins = await this.redis.zrevrangebyscore(this.k(contestId, 'origins'), '+inf', min, 'LIMIT', 0, limit);
    return Promise.all(
      origins.map(async (origin) => ({
        origin,
        contestantIds: await this.redis.smembers(this.k(contestId, 'origin', origin)),
      })),
    );
  }
  async addInvitations(contestId: string, invitations: { code: string; json: string }[]) {
    if (!invitations.length) return;
    const key = this.k(contestId, 'invitations');
    const m = this.redis.multi();
    for (const i of invitations) m.hsetnx(key, i.code, i.json);
    await m.exec();
  }
  getInvitation(contestId: string, code: string) {
    return this.redis.hget(this.k(contestId, 'invitations'), code);
  }
  async useInvitation(contestId: string, code: string, use: string) {
    if (!(await this.redis.hexists(this.k(contestId, 'invitations'), code))) return { ok: false as const, usedBy: '' };
    const key = this.k(contestId, 'invitation-uses');
    // HSETNX: the first use binds the code; the same use again (a rejoin) is accepted, any other refused.
    if ((await this.redis.hsetnx(key, code, use)) === 1) return { ok: true as const };
    const usedBy = (await this.redis.hget(key, code)) ?? '';
    return usedBy === use ? { ok: true as const } : { ok: false as const, usedBy };
  }
  async releaseInvitation(contestId: string, code: string, use: string) {
    await this.redis.eval(RELEASE_INVITATION, 1, this.k(contestId, 'invitation-uses'), code, use);
  }
  async close() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
