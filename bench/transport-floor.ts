// What the phones' transport alone costs the server in a live game, with no game logic: the same phones, joins,
// messages and sizes as a `npm run bench -- --players 400 --questions 4` game, over socket.io (engine.io + ws,
// phones written as the server writes them: one pre-encoded frame each) and over bare `ws` (the leanest Node
// WebSocket server). The difference bounds what replacing socket.io for phones could save; the bench's game CPU
// minus socket.io's floor is the game's own work.
// Usage: npx tsx bench/transport-floor.ts [--phones 400] [--questions 4] [--transport socket.io|ws] [--runs 1]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import WebSocket, { WebSocketServer } from 'ws';
import { wsTextFrame } from '../server/src/realtime/fan-out.js';
import { RawSocket } from './raw-socket.js';

const { values } = parseArgs({
  options: {
    phones: { type: 'string', default: '400' },
    questions: { type: 'string', default: '4' },
    transport: { type: 'string', default: 'socket.io' },
    runs: { type: 'string', default: '1' },
    serve: { type: 'boolean', default: false },
  },
});
const phones = Number(values.phones);
const questions = Number(values.questions);
const transport = values.transport === 'ws' ? 'ws' : 'socket.io';

// Message shapes of the real game (bench rows: ~3.5 messages, ~2.3 KB per phone and question).
const QUESTION_MS = 6000; // open → close: answers come 300–5,000 ms after the question reaches the phone
const BETWEEN_MS = 4000; // result and leaderboard on screen before the next question
const view = (i: number) => ({
  seq: i * 3 + 1,
  phase: 'question',
  questionIndex: i,
  text: 'Khi nhận được tin nhắn lạ yêu cầu cung cấp mã OTP để nhận quà, bạn nên làm gì? '.repeat(3),
  options: ['Cung cấp ngay', 'Bỏ qua, không cung cấp mã OTP cho bất kỳ ai', 'Hỏi lại người gửi', 'Đăng lên mạng'],
  deadline: Date.now() + QUESTION_MS,
  timeLimitMs: QUESTION_MS,
});
const reveal = (i: number) => ({
  ...view(i),
  phase: 'reveal',
  correct: [1],
  counts: [12, 300, 50, 38],
  explanation: 'Mã OTP là chìa khóa tài khoản: ngân hàng và cơ quan nhà nước không bao giờ hỏi mã OTP. '.repeat(4),
});
const result = (p: number) => ({
  correct: p % 3 !== 0,
  points: 870 + (p % 100),
  total: 3000 + p,
  rank: p + 1,
  streak: 2,
});

/** A phone's writer: `frame`, when given, is the message already framed once for every phone (a broadcast). */
interface Phone {
  send(event: string, json: string, frame?: Buffer): void;
}
/** The packet the server writes for an event (socket.io v5 over engine.io v4), and its frame as fan-out.ts builds it. */
const packetOf = (event: string, json: string) => `2/play,[${JSON.stringify(event)},${json}]`;
const frameOf = (event: string, json: string) => wsTextFrame([`4${packetOf(event, json)}`]);
type EngineWriter = {
  writeToEngine(packets: string[], opts: { preEncoded: boolean; wsPreEncodedFrame: Buffer[] }): void;
};

/** The server side: joins, acks, and a game driven on a timer once told to start; prints its CPU as JSON. */
async function serve() {
  const http = createServer();
  const phonesById = new Map<number, Phone>();
  let nextId = 0;
  const onJoin = (phone: Phone) => {
    const id = nextId++;
    phonesById.set(id, phone);
    return id;
  };
  if (transport === 'socket.io') {
    const io = new Server(http, { transports: ['websocket'], pingInterval: 20_000, serveClient: false });
    const play = io.of('/play');
    play.on('connection', (socket) => {
      socket.on('join', (_p: unknown, ack: (r: unknown) => void) => {
        void socket.join('game');
        // As the server writes phones (realtime/fan-out.ts): one pre-encoded frame through engine.io, not an emit.
        const client = socket.client as unknown as EngineWriter;
        const id = onJoin({
          send: (event, json, frame) =>
            client.writeToEngine([packetOf(event, json)], {
              preEncoded: true,
              wsPreEncodedFrame: [frame ?? frameOf(event, json)],
            }),
        });
        ack({ ok: true, data: { playerId: `p${id}`, token: 'x'.repeat(32) } });
      });
      socket.on('answer', (p: unknown, ack: (r: unknown) => void) => {
        if (typeof p !== 'object' || p === null) return;
        ack({ ok: true, data: { receivedAt: Date.now() } });
      });
    });
  } else {
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    wss.on('connection', (ws) => {
      const ping = setInterval(() => ws.ping(), 20_000);
      ws.on('close', () => clearInterval(ping));
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { id?: number; event: string };
        if (m.event === 'join') {
          const id = onJoin({ send: (event, json) => ws.send(`[${JSON.stringify(event)},${json}]`) });
          ws.send(JSON.stringify({ ack: m.id, r: { ok: true, data: { playerId: `p${id}`, token: 'x'.repeat(32) } } }));
        } else if (m.event === 'answer')
          ws.send(JSON.stringify({ ack: m.id, r: { ok: true, data: { receivedAt: Date.now() } } }));
      });
    });
  }
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const cpu0 = process.cpuUsage();
  process.send!({ port: (http.address() as AddressInfo).port });
  await once(process, 'message'); // { start: true }: every phone has joined
  const cpuJoined = process.cpuUsage();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** One message to every phone, encoded once (the frame too, on socket.io, as fan-out.ts does). */
  const broadcast = (event: string, payload: unknown) => {
    const json = JSON.stringify(payload);
    const frame = transport === 'socket.io' ? frameOf(event, json) : undefined;
    for (const phone of phonesById.values()) phone.send(event, json, frame);
  };
  for (let i = 0; i < questions; i++) {
    broadcast('game:state', view(i));
    await sleep(QUESTION_MS);
    const rv = reveal(i);
    for (const [id, phone] of phonesById) phone.send('player:result', JSON.stringify({ ...result(id), state: rv }));
    await sleep(BETWEEN_MS);
    broadcast('game:state', {
      seq: i * 3 + 3,
      phase: 'leaderboard',
      top: Array.from({ length: 10 }, (_, k) => ({ nickname: `Người chơi ${k}`, score: 5000 - k })),
    });
    await sleep(500);
  }
  const cpuEnd = process.cpuUsage();
  const s = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1e6;
  process.send!({ joinCpu: s(cpu0, cpuJoined), gameCpu: s(cpuJoined, cpuEnd) });
}

/** The phones: join at 500 a second, answer each question once after 300–5,000 ms. */
async function drive() {
  const child = fork(new URL(import.meta.url).pathname, [...process.argv.slice(2), '--serve'], {
    execArgv: ['--import', 'tsx'],
  });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  const url = `http://127.0.0.1:${port}`;
  let received = 0;
  let answered = 0;
  const answerLater = (answer: () => void) => setTimeout(answer, 300 + Math.random() * 4700);
  const joins: Promise<void>[] = [];
  const keep: unknown[] = [];
  for (let p = 0; p < phones; p++) {
    if (p % 50 === 0) await new Promise((r) => setTimeout(r, 100));
    joins.push(
      new Promise<void>((resolve, reject) => {
        if (transport === 'socket.io') {
          const s = new RawSocket(url, '/play');
          keep.push(s);
          s.on('connect_error', () => reject(new Error('connect failed')));
          s.on('connect', () =>
            s
              .timeout(20_000)
              .emit('join', { pin: '123456', nickname: `p${p}` }, (err) => (err ? reject(err) : resolve())),
          );
          s.on('game:state', (v: { phase: string; questionIndex: number }) => {
            received++;
            if (v.phase === 'question')
              answerLater(() =>
                s
                  .timeout(20_000)
                  .emit('answer', { questionIndex: v.questionIndex, choice: 1 }, (err) => void (err || answered++)),
              );
          });
          s.on('player:result', () => received++);
        } else {
          const ws = new WebSocket(url.replace('http', 'ws'), { perMessageDeflate: false, skipUTF8Validation: true });
          keep.push(ws);
          let id = 0;
          ws.on('error', reject);
          ws.on('open', () =>
            ws.send(JSON.stringify({ id: id++, event: 'join', payload: { pin: '123456', nickname: `p${p}` } })),
          );
          ws.on('message', (data: Buffer) => {
            const m = JSON.parse(data.toString()) as
              { ack?: number } | [string, { phase: string; questionIndex: number }];
            if (!Array.isArray(m)) return m.ack === 0 ? resolve() : void answered++;
            received++;
            if (m[0] === 'game:state' && m[1].phase === 'question')
              answerLater(() =>
                ws.send(
                  JSON.stringify({
                    id: id++,
                    event: 'answer',
                    payload: { questionIndex: m[1].questionIndex, choice: 1 },
                  }),
                ),
              );
          });
        }
      }),
    );
  }
  await Promise.all(joins);
  await new Promise((r) => setTimeout(r, 1500));
  child.send({ start: true });
  const [cpu] = (await once(child, 'message')) as [{ joinCpu: number; gameCpu: number }];
  child.kill();
  return { transport, phones, questions, ...cpu, received, answered };
}

if (values.serve) await serve();
else {
  for (let r = 0; r < Number(values.runs); r++) {
    const out = await drive();
    console.log(JSON.stringify(out));
  }
  process.exit(0);
}
