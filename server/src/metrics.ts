import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one app instance (own registry: several apps can live in one test process). The default
 * process metrics (event-loop delay sampled every 10 ms, GC observer, …) are collected only when /metrics is served
 * (`exposed`): with /metrics off, as in production by default, nothing could read them and their timers would be a
 * node's whole idle CPU.
 */
export function createMetrics({ exposed = true }: { exposed?: boolean } = {}) {
  const registry = new Registry();
  if (exposed) collectDefaultMetrics({ register: registry });
  return {
    registry,
    sockets: new Gauge({
      name: 'cds_connected_sockets',
      help: 'Connected sockets by namespace',
      labelNames: ['namespace'],
      registers: [registry],
    }),
    liveGames: new Gauge({
      name: 'cds_live_games',
      help: 'Games with players connected to this node',
      registers: [registry],
    }),
    answers: new Counter({
      name: 'cds_answers_total',
      help: 'Answers by outcome (accepted or the error code)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    joins: new Counter({
      name: 'cds_joins_total',
      help: 'Joins and resumes by outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    badRequests: new Counter({
      name: 'cds_rejected_requests_total',
      help: 'Requests refused before any handler ran',
      labelNames: ['code'],
      registers: [registry],
    }),
    scoring: new Histogram({
      name: 'cds_scoring_job_seconds',
      help: 'Question close to scores applied and announced',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    busyStall: new Gauge({
      name: 'cds_eventloop_busy_max_seconds',
      help: 'CPU time the process used in its longest-running event-loop turn since the last scrape (a stall of the loop that is work, not waiting for a core)',
      registers: [registry],
      collect() {
        this.set(takeBusyMax() / 1000);
      },
    }),
  };
}

/**
 * The longest event-loop stall measured in CPU time: a 20 ms timer reads the process's CPU time, and the CPU used
 * between two ticks bounds the work of the turns in between. It starts with the first scrape (production leaves /metrics off). nodejs_eventloop_lag_max_seconds (wall time) also
 * counts the time the process waited for a core, which on a shared machine can dwarf the work itself.
 */
let busy: { max: number; timer: NodeJS.Timeout } | undefined;
function takeBusyMax(): number {
  if (!busy) {
    let last = process.cpuUsage();
    const timer = setInterval(() => {
      const now = process.cpuUsage();
      const ms = (now.user - last.user + now.system - last.system) / 1000;
      last = now;
      if (ms > busy!.max) busy!.max = ms;
    }, 20);
    timer.unref();
    busy = { max: 0, timer };
  }
  const max = busy.max;
  busy.max = 0;
  return max;
}
export type Metrics = ReturnType<typeof createMetrics>;
