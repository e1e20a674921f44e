// Redis driver of the practice store. Keys under `<prefix>pr:{<contestId>}:`:
//   s:<sessionId> (hash: meta = session JSON without answers, a:<questionId> = "correct|choice JSON"; expires with
//   the session), stats (hash: started, completed, <area>:a, <area>:c), learners (hash learner → completed sessions),
//   b:<subject> (hash badge id → awarded at), holders (hash badge id → holders).
import { Redis } from 'ioredis';
import type { CompetenceArea } from '../../../protocol/contest';
import type {
  PracticeAnswerRecord,
  PracticeAnswerResult,
  PracticeCounters,
  PracticeSessionRecord,
  PracticeStore,
} from './store';

/**
 * Saves the first answer to one question of a session, counts it per area and, when it is the session's last,
 * counts the session as completed for the contest and each learner.
 *   KEYS[1] s:<sessionId>  KEYS[2] stats  KEYS[3] learners
 *   ARGV[1] question id  ARGV[2] "correct|choice"  ARGV[3] area  ARGV[4] 1 when correct  ARGV[5] questions in the
 *   session  ARGV[6..] learner keys
 * Returns: -1 no such session (or expired), 0 already answered, 1 saved, 2 saved and the session is complete.
 */
const ANSWER_PRACTICE = `
local sessionKey = KEYS[1]
local statsKey = KEYS[2]
local learnersKey = KEYS[3]
if redis.call('EXISTS', sessionKey) == 0 then return -1 end
if redis.call('HSETNX', sessionKey, 'a:' .. ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HINCRBY', statsKey, ARGV[3] .. ':a', 1)
if ARGV[4] == '1' then redis.call('HINCRBY', statsKey, ARGV[3] .. ':c', 1) end
-- every field but meta is an answer
if redis.call('HLEN', sessionKey) - 1 < tonumber(ARGV[5]) then return 1 end
redis.call('HINCRBY', statsKey, 'completed', 1)
for i = 6, #ARGV do redis.call('HINCRBY', learnersKey, ARGV[i], 1) end
return 2
`;

/**
 * Awards the badges a subject does not hold yet and counts their holders.
 *   KEYS[1] b:<subject>  KEYS[2] holders   ARGV[1] awarded at  ARGV[2..] badge ids
 * Returns the badge ids newly awarded.
 */
const AWARD_BADGES = `
local heldKey = KEYS[1]
local holdersKey = KEYS[2]
local awarded = {}
for i = 2, #ARGV do
  if redis.call('HSETNX', heldKey, ARGV[i], ARGV[1]) == 1 then
    redis.call('HINCRBY', holdersKey, ARGV[i], 1)
    awarded[#awarded + 1] = ARGV[i]
  end
end
return awarded
`;

interface Scripts {
  cdsPrAnswer(k1: string, k2: string, k3: string, ...argv: (string | number)[]): Promise<number>;
  cdsPrAward(k1: string, k2: string, ...argv: (string | number)[]): Promise<string[]>;
}

export class RedisPracticeStore implements PracticeStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis & Scripts;
  private offsetMs = 0;

  constructor(
    url: string,
    private readonly prefix = 'cds:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true }) as Redis & Scripts;
    this.redis.on('error', () => {}); // reconnects on its own; /readyz reports the main store
    this.redis.defineCommand('cdsPrAnswer', { lua: ANSWER_PRACTICE, numberOfKeys: 3 });
    this.redis.defineCommand('cdsPrAward', { lua: AWARD_BADGES, numberOfKeys: 2 });
  }

  private k(contestId: string, ...parts: string[]) {
    return [`${this.prefix}pr:{${contestId}}`, ...parts].join(':');
  }

  async now() {
    const [s, us] = await this.redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000) + this.offsetMs;
  }
  shiftClock(ms: number) {
    this.offsetMs += ms;
  }

  async createPracticeSession(contestId: string, session: PracticeSessionRecord) {
    const key = this.k(contestId, 's', session.id);
    const ttl = Math.max(1, session.expiresAt - (await this.now()));
    await this.redis
      .multi()
      .hset(key, 'meta', JSON.stringify({ ...session, answers: undefined }))
      .pexpire(key, ttl)
      .hincrby(this.k(contestId, 'stats'), 'started', 1)
      .exec();
  }

  async getPracticeSession(contestId: string, sessionId: string): Promise<PracticeSessionRecord | null> {
    const fields = await this.redis.hgetall(this.k(contestId, 's', sessionId));
    if (!fields.meta) return null;
    const session = JSON.parse(fields.meta) as PracticeSessionRecord;
    // The clock shift of tests moves expiry too (Redis expires on its own clock).
    if (session.expiresAt <= (await this.now())) return null;
    session.answers = {};
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith('a:')) continue;
      const bar = value.indexOf('|');
      session.answers[field.slice(2)] = {
        correct: value.slice(0, bar) === '1',
        choice: JSON.parse(value.slice(bar + 1)) as number | number[],
      };
    }
    return session;
  }

  async answerPractice(
    contestId: string,
    sessionId: string,
    questionId: string,
    answer: PracticeAnswerRecord,
  ): Promise<PracticeAnswerResult> {
    // The session's questions never change once created: read them to check membership, then write atomically.
    const session = await this.getPracticeSession(contestId, sessionId);
    if (!session) return { ok: false, code: 'NOT_FOUND' };
    const q = session.questions.find((x) => x.id === questionId);
    if (!q) return { ok: false, code: 'QUESTION_NOT_IN_ATTEMPT' };
    const r = await this.redis.cdsPrAnswer(
      this.k(contestId, 's', sessionId),
      this.k(contestId, 'stats'),
      this.k(contestId, 'learners'),
      questionId,
      `${answer.correct ? 1 : 0}|${JSON.stringify(answer.choice)}`,
      q.area,
      answer.correct ? 1 : 0,
      session.questions.length,
      ...session.learners,
    );
    if (r === -1) return { ok: false, code: 'NOT_FOUND' };
    if (r === 0) return { ok: false, code: 'ALREADY_ANSWERED' };
    return { ok: true, complete: r === 2 };
  }

  async practiceSessions(contestId: string, learner: string) {
    return Number((await this.redis.hget(this.k(contestId, 'learners'), learner)) ?? 0);
  }

  async practiceCounters(contestId: string): Promise<PracticeCounters> {
    const raw = await this.redis.hgetall(this.k(contestId, 'stats'));
    const counters: PracticeCounters = {
      started: Number(raw.started ?? 0),
      completed: Number(raw.completed ?? 0),
      areas: {},
    };
    for (const [field, value] of Object.entries(raw)) {
      const m = field.match(/^(.+):([ac])$/);
      if (!m) continue;
      const area = (counters.areas[m[1] as CompetenceArea] ??= { answered: 0, correct: 0 });
      area[m[2] === 'a' ? 'answered' : 'correct'] = Number(value);
    }
    return counters;
  }

  async awardBadges(contestId: string, subject: string, badgeIds: string[], at: number) {
    if (!badgeIds.length) return [];
    return this.redis.cdsPrAward(
      this.k(contestId, 'b', subject),
      this.k(contestId, 'holders'),
      at,
      ...new Set(badgeIds),
    );
  }
  async badgesOf(contestId: string, subject: string) {
    const held = await this.redis.hgetall(this.k(contestId, 'b', subject));
    return Object.entries(held).map(([id, at]) => ({ id, at: Number(at) }));
  }
  async badgeHolders(contestId: string) {
    const raw = await this.redis.hgetall(this.k(contestId, 'holders'));
    return Object.fromEntries(Object.entries(raw).map(([id, n]) => [id, Number(n)]));
  }
  async close() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
