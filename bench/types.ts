/** IPC between bench/bench.ts (the orchestrator) and bench/worker.ts (load-generator processes). */

export interface WorkerInit {
  /** 'socket.io': socket.io-client per contestant; 'raw': bench/raw-socket.ts (same protocol, less CPU). */
  client: 'socket.io' | 'raw';
  /** Base URL of each server node; contestant i starts on node i % urls.length. */
  urls: string[];
  pin: string;
  /** Contestant indexes [from, to) driven by this worker. */
  from: number;
  to: number;
  /** Joins per second started by this worker. */
  joinRate: number;
  /** Fraction of contestants that drop and resume with their token during each question. */
  churn: number;
  /** Thinking time before answering, uniform in [min, max] ms after the question reaches the phone. */
  thinkMinMs: number;
  thinkMaxMs: number;
  /** Probability of not answering a question at all (so it closes on its deadline). */
  skipRate: number;
  /** Probability of choosing the correct option (question i's correct option is i % 4). */
  correctRate: number;
}

export interface PlayerReport {
  i: number;
  playerId: string | null;
  /** questionIndex → choice, for every answer the server acknowledged as accepted. */
  accepted: Record<number, number>;
  /** Score from the last personal result (or resume) this contestant received. */
  lastScore: number;
  node: number;
}

export interface WorkerReport {
  joinStart: number;
  joinEnd: number;
  joinOk: number;
  joinFailed: Record<string, number>;
  /** Connection attempts retried during joining (the server refused or timed out a connection). */
  joinRetries: number;
  /** questionIndex → fan-out latencies (ms) of the `open` PhaseView. */
  fanoutMs: Record<number, number[]>;
  /** node index → fan-out latencies (ms) of contestants connected to that node. */
  fanoutByNode: Record<number, number[]>;
  ackMs: number[];
  answersSent: number;
  answersAccepted: number;
  answersRejected: Record<string, number>;
  answersUnacked: number;
  /** questionIndex → receipt times (epoch ms) of `player:result`. */
  resultAt: Record<number, number[]>;
  /** socket.io message packets (events and acks) and their bytes, received by all contestants. */
  messages: number;
  bytes: number;
  events: Record<string, number>;
  reconnectMs: number[];
  reconnectFailed: number;
  churnDrops: number;
  /** Answers whose ack was lost (connection dropped) but that the resume reported as recorded. */
  acceptedViaResume: number;
  /** Hash of the final leaderboard (\`ended\` view's top) → how many contestants saw it. */
  endedTops: Record<string, number>;
  /** The generator's own event-loop delay since the previous report: high values inflate every latency it measures. */
  lagP99Ms: number;
  lagMaxMs: number;
  /** CPU seconds (user + system) this worker used so far. */
  cpuSeconds: number;
  players: PlayerReport[];
}

export type ToWorker = { type: 'init'; init: WorkerInit } | { type: 'report' } | { type: 'stop' };
export type FromWorker =
  { type: 'joined'; ok: number; failed: Record<string, number> } | { type: 'report'; report: WorkerReport };
