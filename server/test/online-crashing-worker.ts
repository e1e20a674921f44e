// A BullMQ worker process that scores an online attempt for real, then dies (SIGKILL) before telling BullMQ the job
// is done: a node crash mid-job. Used by online-jobs.integration.test.ts.
import { Worker } from 'bullmq';
import { loadContests } from '../src/contests/load';
import { InlineJobRunner } from '../src/jobs/inline';
import { OnlineRounds } from '../src/online/online-rounds';
import { RedisOnlineStore } from '../src/online/store-redis';

const [redisUrl, prefix] = process.argv.slice(2) as [string, string];
const online = new OnlineRounds({
  store: new RedisOnlineStore(redisUrl, prefix),
  jobs: new InlineJobRunner(() => {}),
  contests: await loadContests('server/test/online-contests'),
});
const worker = new Worker(
  'game',
  async (job) => {
    if (job.name !== 'attempt.score') return;
    await online.scoreAttempt(job.data.contestId, job.data.attemptId);
    console.log('scored, now dying');
    process.kill(process.pid, 'SIGKILL');
  },
  {
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    prefix: `${prefix}bull`,
    lockDuration: 3000,
    stalledInterval: 1000,
  },
);
await worker.waitUntilReady();
console.log('worker ready');
