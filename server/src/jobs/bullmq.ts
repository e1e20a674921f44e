import { Queue, Worker } from 'bullmq';
import {
  checkProcessors,
  runJob,
  type EnqueueOptions,
  type JobData,
  type JobName,
  type JobRunner,
  type Processors,
} from './jobs';

export interface BullJobOptions {
  redisUrl: string;
  /** Key prefix of the queue (tests use their own). */
  prefix: string;
  queueName?: string;
  concurrency?: number;
  /** Process jobs in this process (false: only enqueue; a separate worker process runs them). */
  work?: boolean;
}

/** Redis-mode driver: a delayed job closes the question even if the node that opened it dies. */
export class BullJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(
    private readonly options: BullJobOptions,
    private readonly onError: (err: unknown, name: string) => void,
  ) {
    this.queue = new Queue(options.queueName ?? 'game', {
      connection: { url: options.redisUrl },
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 200 },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    });
    this.queue.on('error', (err) => this.onError(err, 'queue'));
  }

  async start(processors: Processors) {
    checkProcessors(processors);
    if (this.options.work === false) return;
    this.worker = new Worker(this.queue.name, (job) => runJob(processors, job.name, job.data), {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      prefix: this.options.prefix,
      concurrency: this.options.concurrency ?? 8,
      // A job whose worker died is taken over after this long.
      lockDuration: 10_000,
      stalledInterval: 5_000,
    });
    this.worker.on('error', (err) => this.onError(err, 'worker'));
    this.worker.on('failed', (job, err) => this.onError(err, job?.name ?? 'job'));
    await this.worker.waitUntilReady();
  }

  async enqueue<N extends JobName>(name: N, data: JobData<N>, { jobId, delayMs }: EnqueueOptions) {
    await this.queue.add(name, data, { jobId, delay: delayMs && delayMs > 0 ? delayMs : undefined });
  }

  async close() {
    await this.worker?.close();
    await this.queue.close();
  }
}
