// A BullMQ worker process that scores a question for real, then dies (SIGKILL) before telling BullMQ
// the job is done: what a node crash mid-job looks like. Used by jobs.integration.test.ts.
import { Worker } from 'bullmq';
import { loadContests } from '../src/contests/load';
import { InlineJobRunner } from '../src/jobs/inline';
import { LiveGames } from '../src/live/games';
import { RedisStore } from '../src/store/redis';

const [redisUrl, prefix] = process.argv.slice(2) as [string, string];
const store = new RedisStore(redisUrl, prefix);
const games = new LiveGames({
  store,
  jobs: new InlineJobRunner(() => {}),
  contests: await loadContests('server/test/contests'),
  graceMs: 300,
  publicUrl: () => 'http://x',
  log: { error: () => {}, info: () => {} },
});
const worker = new Worker(
  'game',
  async (job) => {
    if (job.name !== 'question.score') return;
    await games.scoreQuestion(job.data.pin, job.data.index);
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
