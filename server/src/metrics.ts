import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (own registry: several apps can live in one test process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
