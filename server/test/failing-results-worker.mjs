// A results worker (server/src/results-worker.ts) that fails where the lock is stored: RESULTS_WORKER_FAULT=throw
// makes storing the lock throw; =die ends the thread after the first piece of the set's JSON reached Redis (what a
// crash or an out-of-memory kill of the worker mid-write looks like); =dashboard makes the dashboard's computation
// throw; =finalise ends the thread while it reads an online round. Used by results-thread.integration.test.ts.
import { register } from 'tsx/esm/api';

register();
const { RedisOrganiserRecords } = await import('../src/store/records-redis.ts');
const store = RedisOrganiserRecords.prototype.lock;
RedisOrganiserRecords.prototype.lock = async function (lock) {
  if (process.env.RESULTS_WORKER_FAULT === 'throw') throw new Error('disk full (test fault)');
  const redis = this.redis;
  const append = redis.append.bind(redis);
  redis.append = async (...args) => {
    await append(...args);
    process.exit(3);
  };
  return store.call(this, lock);
};
const { OrganiserResults } = await import('../src/organiser/results.ts');
const { OnlineRounds } = await import('../src/online/online-rounds.ts');
if (process.env.RESULTS_WORKER_FAULT === 'dashboard')
  OrganiserResults.prototype.computeDashboard = () => Promise.reject(new Error('answers unreadable (test fault)'));
if (process.env.RESULTS_WORKER_FAULT === 'finalise') OnlineRounds.prototype.roundRows = () => process.exit(3);
await import('../src/results-worker.ts');
