import {
  checkProcessors,
  runJob,
  type EnqueueOptions,
  type JobData,
  type JobName,
  type JobRunner,
  type Processors,
} from './jobs';
import type { StoredJob } from '../store/embedded-db';

/** Where queued jobs are kept until they have run (EmbeddedDb.jobs), so a restart re-arms them. */
export interface DurableJobs {
  save(job: StoredJob): Promise<void>;
  remove(id: string): Promise<void>;
  all(): StoredJob[];
}

/**
 * Embedded driver: timers and promises in this process. Same ids-dedupe rule as BullMQ. With `durable`, a job is
 * saved before `enqueue` resolves and removed once it has run; `start` re-arms the saved ones (a deadline that
 * passed while the server was down runs at once). Like BullMQ, a job may run twice after a crash: processors are
 * idempotent.
 */
export class InlineJobRunner implements JobRunner {
  readonly kind = 'inline' as const;
  private processors: Processors | null = null;
  private pending = new Map<string, NodeJS.Timeout | null>();
  private running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly onError: (err: unknown, name: string) => void,
    private readonly durable?: DurableJobs,
  ) {}

  async start(processors: Processors) {
    checkProcessors(processors);
    this.processors = processors;
    for (const job of this.durable?.all() ?? [])
      this.arm(job.name as JobName, job.data as JobData<JobName>, job.id, job.runAt - Date.now());
  }

  async enqueue<N extends JobName>(name: N, data: JobData<N>, { jobId, delayMs = 0 }: EnqueueOptions) {
    if (this.closed || this.pending.has(jobId)) return;
    const payload = structuredClone(data);
    // Saved before it is armed: the removal after a run cannot overtake it (LMDB writes commit in order).
    const saved = this.durable?.save({ id: jobId, name, data: payload, runAt: Date.now() + delayMs });
    this.arm(name, payload, jobId, delayMs);
    await saved;
  }

  private arm<N extends JobName>(name: N, payload: JobData<N>, jobId: string, delayMs: number) {
    const run = () => {
      const p = (async () => {
        try {
          if (!this.processors) throw new Error('job runner not started');
          await runJob(this.processors, name, payload);
        } catch (err) {
          this.onError(err, name);
        } finally {
          this.pending.delete(jobId);
          await this.durable?.remove(jobId).catch((err) => this.onError(err, name));
        }
      })();
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
    };
    if (delayMs > 0) {
      this.pending.set(jobId, setTimeout(run, delayMs));
    } else {
      this.pending.set(jobId, null);
      queueMicrotask(run);
    }
  }

  async close() {
    this.closed = true;
    for (const t of this.pending.values()) if (t) clearTimeout(t);
    await Promise.allSettled([...this.running]);
  }
}
