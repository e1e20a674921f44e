import { z } from 'zod';
import { Pin } from '../../../protocol/events';

/** Every job the server queues: name → data schema. Data is plain JSON, re-parsed in the processor. */
export const JOB_SCHEMAS = {
  /** Close question `index` when its deadline (+ grace) passes, or when everyone has answered. */
  'question.close': z.object({
    pin: Pin,
    index: z.number().int().min(0),
    reason: z.enum(['deadline', 'all-answered']),
  }),
  /** Score question `index`: applied once behind the "scored" guard. */
  'question.score': z.object({ pin: Pin, index: z.number().int().min(0) }),
  /** Online round: score a submitted attempt, once (the store's "scored" guard). */
  'attempt.score': z.object({ contestId: z.string().min(1).max(64), attemptId: z.string().min(1).max(64) }),
  /** Online round: submit an attempt as it stands when its time is up. */
  'attempt.deadline': z.object({ contestId: z.string().min(1).max(64), attemptId: z.string().min(1).max(64) }),
  /** Badges: what an online contestant (`c:<id>`) or a practising device (`d:<hash>`) has earned; awards are set once. */
  'badges.learner': z.object({
    contestId: z.string().min(1).max(64),
    subject: z.string().regex(/^[cd]:[A-Za-z0-9_-]{1,80}$/),
  }),
  /** Badges: what each player of a live game has earned, once its last question is scored. */
  'badges.game': z.object({ pin: Pin }),
} as const;

export type JobName = keyof typeof JOB_SCHEMAS;
export type JobData<N extends JobName> = z.infer<(typeof JOB_SCHEMAS)[N]>;
export type Processors = { [N in JobName]: (data: JobData<N>) => Promise<void> };

export const JOB_NAMES = Object.keys(JOB_SCHEMAS) as JobName[];

export interface EnqueueOptions {
  /** A fixed id: a job with an id that is already queued is not queued again. */
  jobId: string;
  delayMs?: number;
}

/** Runs jobs: in process (embedded) or on BullMQ (Redis mode, survives a node's death). */
export interface JobRunner {
  readonly kind: 'inline' | 'bullmq';
  enqueue<N extends JobName>(name: N, data: JobData<N>, options: EnqueueOptions): Promise<void>;
  /** Starts processing; refuses to start when a job name has no processor. */
  start(processors: Processors): Promise<void>;
  close(): Promise<void>;
}

export function checkProcessors(processors: Partial<Processors>): asserts processors is Processors {
  const missing = JOB_NAMES.filter((n) => typeof processors[n] !== 'function');
  if (missing.length) throw new Error(`no processor for job(s): ${missing.join(', ')}`);
}

/** Parses job data with its schema and calls the processor. */
export async function runJob(processors: Processors, name: string, data: unknown): Promise<void> {
  if (!(name in JOB_SCHEMAS)) throw new Error(`unknown job '${name}'`);
  const n = name as JobName;
  const parsed = JOB_SCHEMAS[n].parse(data);
  await (processors[n] as (d: unknown) => Promise<void>)(parsed);
}
