import { checkProcessors, runJob, type EnqueueOptions, type JobData, type JobName, type JobRunner, type Processors } from './jobs';

/** Embedded driver: timers and promises in this process. Same ids-dedupe rule as BullMQ. */
export class InlineJobRunner implements JobRunner {
  readonly kind = 'inline' as const;
  private processors: Processors | null = null;
  private pending = new Map<string, NodeJS.Timeout | null>();
  private running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly onError: (err: unknown, name: string) => void) {}

  async start(processors: Processors) {
    checkProcessors(processors);
    this.processors = processors;
  }

  async enqueue<N extends JobName>(name: N, data: JobData<N>, { jobId, delayMs = 0 }: EnqueueOptions) {
    if (this.closed || this.pending.has(jobId)) return;
    const payload = structuredClone(data);
    const run = () => {
      const p = (async () => {
        try {
          if (!this.processors) throw new Error('job runner not started');
          await runJob(this.processors, name, payload);
        } catch (err) {
          this.onError(err, name);
        } finally {
          this.pending.delete(jobId);
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
