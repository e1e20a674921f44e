/**
 * A stand-in for the real server, used by the browser tests only while server/src/app.ts does not
 * export startServer yet. It follows the same contract (REST + socket.io protocol) in the simplest
 * way: one process, in memory, no persistence. It is NOT the product's server.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import express from 'express';
import { Server, type Socket } from 'socket.io';
import type { Contest, LeaderRow, PhaseView, PlayerStanding, PublicQuestion } from '../protocol';
import { buildRound, loadContests, type PlayableQuestion } from '../server/src/contests/load';

interface Player extends PlayerStanding {
  token: string;
  socket?: Socket;
  answers: Map<number, { choice: number | number[]; elapsedMs: number }>;
}
interface Game {
  pin: string;
  hostToken: string;
  contest: Contest;
  roundTitle: string;
  questions: PlayableQuestion[];
  phase: PhaseView['phase'];
  index: number;
  seq: number;
  openedAt: number;
  deadline: number | null;
  remainingMs: number;
  locked: boolean;
  players: Map<string, Player>;
  timer?: NodeJS.Timeout;
}

const id = (n = 12) => randomBytes(n).toString('base64url');

export async function startStubServer(options: { contestsDir: string; organiserPassword: string; clientDir: string }) {
  const contests = await loadContests(options.contestsDir);
  const games = new Map<string, Game>();
  const organiserToken = id(24);
  const app = express();
  app.use(express.json());
  const http = createServer(app);
  const io = new Server(http);
  let url = '';

  const auth = (req: express.Request) =>
    req.headers.authorization === `Bearer ${organiserToken}` || games.get(String(req.params.pin))?.hostToken === req.query.hostToken;

  app.post('/api/login', (req, res) => {
    if (req.body?.password !== options.organiserPassword) return void res.status(401).json({ error: { code: 'NOT_AUTHORISED', message: 'bad' } });
    res.json({ token: organiserToken, expiresAt: Date.now() + 3_600_000 });
  });
  app.get('/api/contests', (req, res) => {
    if (!auth(req)) return void res.status(401).json({ error: { code: 'NOT_AUTHORISED', message: 'bad' } });
    res.json(
      [...contests.values()].map((c) => ({
        id: c.id,
        title: c.title,
        organiser: c.organiser,
        rounds: c.rounds.map((r) => ({ id: r.id, title: r.title, mode: r.mode, scoring: r.scoring, questions: r.questions.length })),
      })),
    );
  });
  app.post('/api/games', (req, res) => {
    if (!auth(req)) return void res.status(401).json({ error: { code: 'NOT_AUTHORISED', message: 'bad' } });
    const contest = contests.get(req.body.contestId);
    const built = contest && buildRound(contest, req.body.roundId);
    if (!contest || !built) return void res.status(404).json({ error: { code: 'CONTEST_NOT_FOUND', message: 'no' } });
    const pin = String(100000 + Math.floor(Math.random() * 900000));
    const game: Game = {
      pin,
      hostToken: id(24),
      contest,
      roundTitle: built.round.title,
      questions: built.questions,
      phase: 'lobby',
      index: -1,
      seq: 1,
      openedAt: 0,
      deadline: null,
      remainingMs: 0,
      locked: false,
      players: new Map(),
    };
    games.set(pin, game);
    res.json({ pin, hostToken: game.hostToken, joinUrl: `${url}/join/${pin}` });
  });
  app.get('/api/games/:pin', (req, res) => {
    const g = games.get(req.params.pin);
    if (!g) return void res.status(404).json({ error: { code: 'GAME_NOT_FOUND', message: 'no' } });
    res.json({
      pin: g.pin,
      title: g.contest.title,
      roundTitle: g.roundTitle,
      privacyNotice: g.contest.privacyNotice,
      groups: ['can-bo', 'hoc-sinh', 'nguoi-lao-dong', 'nguoi-dan'],
      units: g.contest.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
    });
  });
  app.get('/api/games/:pin/results.csv', (req, res) => {
    const g = games.get(req.params.pin);
    if (!g || !auth(req)) return void res.status(401).end();
    res.type('text/csv').send(['rank,nickname,score,correct', ...board(g).map((r) => `${r.rank},${r.nickname},${r.score},${r.correct}`)].join('\n'));
  });
  app.use('/media/:contest', (req, res, next) => express.static(path.join(options.contestsDir, String(req.params.contest)))(req, res, next));
  app.use(express.static(options.clientDir, { index: false }));
  app.get(/^\/(play|join\/\d+|host|screen\/\d+|admin)?\/?$/, (_req, res) => res.sendFile(path.join(options.clientDir, 'index.html')));

  function publicQuestion(g: Game, q: PlayableQuestion): PublicQuestion {
    return {
      id: q.id,
      type: q.type,
      text: q.text,
      ...(q.type === 'true-false' ? { options: ['Đúng', 'Sai'] } : 'options' in q ? { options: q.options } : {}),
      ...(q.type === 'numeric' ? { min: q.min, max: q.max, ...(q.unit ? { unit: q.unit } : {}) } : {}),
      ...(q.image ? { image: { src: `/media/${g.contest.id}/${q.image.src}`, alt: q.image.alt } } : {}),
      timeLimitSec: q.timeLimitSec,
      points: q.points,
    };
  }
  function board(g: Game): LeaderRow[] {
    return [...g.players.values()]
      .sort((a, b) => b.score - a.score || a.nickname.localeCompare(b.nickname))
      .map((p, i) => ({ rank: i + 1, playerId: p.playerId, nickname: p.nickname, group: p.group, score: p.score, correct: p.correct }));
  }
  function isCorrect(q: PlayableQuestion, choice: number | number[]): boolean {
    if (q.type === 'single') return choice === q.correct;
    if (q.type === 'true-false') return choice === (q.correct ? 0 : 1);
    if (q.type === 'multiple') return Array.isArray(choice) && [...choice].sort().join() === [...q.correct].sort().join();
    if (q.type === 'numeric') return typeof choice === 'number' && Math.abs(choice - q.answer) <= q.tolerance;
    return false;
  }
  function view(g: Game, audience: 'play' | 'viewer'): PhaseView {
    const base = { pin: g.pin, seq: g.seq, title: g.contest.title, roundTitle: g.roundTitle, index: g.index, total: g.questions.length, players: g.players.size, locked: g.locked, scoring: 'speed' as const };
    const q = g.questions[g.index];
    switch (g.phase) {
      case 'lobby':
        return { ...base, phase: 'lobby' };
      case 'open':
        return { ...base, phase: 'open', question: publicQuestion(g, q!), deadline: g.deadline, remainingMs: g.deadline ? g.deadline - Date.now() : g.remainingMs, paused: g.deadline === null };
      case 'closed':
        return { ...base, phase: 'closed', question: publicQuestion(g, q!) };
      case 'reveal': {
        const answers = [...g.players.values()].map((p) => p.answers.get(g.index)).filter((a) => a !== undefined);
        const n = q!.type === 'true-false' ? 2 : 'options' in q! ? q!.options.length : 0;
        const distribution = Array.from({ length: n }, (_, i) => answers.filter((a) => (Array.isArray(a.choice) ? a.choice.includes(i) : a.choice === i)).length);
        const correctOptions = q!.type === 'single' ? [q!.correct] : q!.type === 'multiple' ? q!.correct : q!.type === 'true-false' ? [q!.correct ? 0 : 1] : [];
        return {
          ...base,
          phase: 'reveal',
          question: publicQuestion(g, q!),
          reveal: {
            correctOptions,
            ...(q!.type === 'numeric' ? { answer: q!.answer } : {}),
            explanation: q!.explanation,
            source: q!.source,
            distribution,
            answered: answers.length,
            correctCount: answers.filter((a) => isCorrect(q!, a.choice)).length,
          },
        };
      }
      default: {
        const top = board(g).slice(0, 10);
        if (audience === 'play') return { ...base, phase: g.phase, top };
        const byGroup: Record<string, LeaderRow[]> = {};
        for (const r of board(g)) (byGroup[r.group] ??= []).push(r);
        return { ...base, phase: g.phase, top, byGroup, byUnit: [] };
      }
    }
  }
  function broadcast(g: Game) {
    g.seq++;
    io.of('/play').to(g.pin).emit('game:state', view(g, 'play'));
    io.of('/host').to(g.pin).emit('game:state', view(g, 'viewer'));
    io.of('/screen').to(g.pin).emit('game:state', view(g, 'viewer'));
  }
  function standing(g: Game, p: Player): PlayerStanding {
    const rank = board(g).find((r) => r.playerId === p.playerId)?.rank ?? null;
    return { playerId: p.playerId, nickname: p.nickname, group: p.group, score: p.score, streak: p.streak, correct: p.correct, rank: g.index >= 0 ? rank : null };
  }
  function close(g: Game) {
    if (g.phase !== 'open') return;
    clearTimeout(g.timer);
    g.phase = 'closed';
    broadcast(g);
    const q = g.questions[g.index]!;
    for (const p of g.players.values()) {
      const a = p.answers.get(g.index);
      const ok = !!a && isCorrect(q, a.choice);
      const points = ok ? Math.round(q.points * (1 - a!.elapsedMs / (q.timeLimitSec * 1000) / 2)) : 0;
      p.streak = ok ? p.streak + 1 : 0;
      const bonus = ok && p.streak > 1 ? Math.min(500, (p.streak - 1) * 100) : 0;
      p.score += points + bonus;
      if (ok) p.correct++;
      (p as Player & { last?: unknown }).last = { questionIndex: g.index, answered: !!a, correct: ok, pointsGained: points + bonus, streakBonus: bonus };
    }
    g.phase = 'reveal';
    broadcast(g);
    for (const p of g.players.values()) p.socket?.emit('player:result', { ...(p as Player & { last: object }).last, standing: standing(g, p), players: g.players.size } as never);
  }
  function openQuestion(g: Game, index: number) {
    g.index = index;
    g.phase = 'open';
    g.openedAt = Date.now();
    g.deadline = g.openedAt + g.questions[index]!.timeLimitSec * 1000;
    g.timer = setTimeout(() => close(g), g.deadline - Date.now());
    broadcast(g);
  }
  const err = (code: string) => ({ ok: false, error: { code, message: code } });

  io.of('/play').on('connection', (socket) => {
    let me: { g: Game; p: Player } | null = null;
    const welcome = (g: Game, p: Player) => {
      p.socket = socket;
      me = { g, p };
      void socket.join(g.pin);
      const last = (p as Player & { last?: object }).last;
      return { ok: true, data: { token: p.token, me: standing(g, p), state: view(g, 'play'), answered: p.answers.has(g.index), ...(g.phase === 'reveal' && last ? { lastResult: { ...last, standing: standing(g, p), players: g.players.size } } : {}), serverTime: Date.now() } };
    };
    socket.on('clock:sync', (_p, ack) => ack({ ok: true, data: { serverTime: Date.now() } }));
    socket.on('player:join', (p, ack) => {
      const g = games.get(p?.pin);
      if (!g) return ack(err('GAME_NOT_FOUND'));
      if (g.locked) return ack(err('LOBBY_LOCKED'));
      if (p.consent !== true) return ack(err('CONSENT_REQUIRED'));
      if ([...g.players.values()].some((x) => x.nickname.toLowerCase() === String(p.nickname).trim().toLowerCase())) return ack(err('NICKNAME_TAKEN'));
      const player: Player = { playerId: id(8), token: id(24), nickname: String(p.nickname).trim(), group: p.group, ...(p.unit ? { unit: p.unit } : {}), score: 0, streak: 0, correct: 0, rank: null, answers: new Map() };
      g.players.set(player.playerId, player);
      ack(welcome(g, player));
      g.seq++;
      io.of('/play').to(g.pin).emit('game:players', { count: g.players.size });
      const recent = [...g.players.values()].slice(-10).map((x) => ({ playerId: x.playerId, nickname: x.nickname, group: x.group }));
      io.of('/host').to(g.pin).emit('game:players', { count: g.players.size, recent });
      io.of('/screen').to(g.pin).emit('game:players', { count: g.players.size, recent });
    });
    socket.on('player:resume', (p, ack) => {
      const g = games.get(p?.pin);
      const player = g && [...g.players.values()].find((x) => x.token === p.token);
      if (!g || !player) return ack(err('TOKEN_INVALID'));
      ack(welcome(g, player));
    });
    socket.on('answer:submit', (p, ack) => {
      if (!me) return ack(err('NOT_JOINED'));
      const { g, p: player } = me;
      if (g.phase !== 'open' || p.questionIndex !== g.index) return ack(err('WRONG_PHASE'));
      if (g.deadline === null) return ack(err('PAUSED'));
      if (player.answers.has(g.index)) return ack(err('ALREADY_ANSWERED'));
      const elapsedMs = Date.now() - g.openedAt;
      player.answers.set(g.index, { choice: p.choice, elapsedMs });
      ack({ ok: true, data: { questionIndex: g.index, elapsedMs } });
      const answered = [...g.players.values()].filter((x) => x.answers.has(g.index)).length;
      for (const ns of ['/host', '/screen']) io.of(ns).to(g.pin).emit('game:answers', { questionIndex: g.index, answered, players: g.players.size });
      if (answered === g.players.size) close(g);
    });
  });
  io.of('/host').on('connection', (socket) => {
    let game: Game | null = null;
    socket.on('clock:sync', (_p, ack) => ack({ ok: true, data: { serverTime: Date.now() } }));
    socket.on('host:attach', (p, ack) => {
      const g = games.get(p?.pin);
      if (!g || g.hostToken !== p.hostToken) return ack(err('NOT_AUTHORISED'));
      game = g;
      void socket.join(g.pin);
      ack({ ok: true, data: { state: view(g, 'viewer'), players: [...g.players.values()].map((x) => ({ playerId: x.playerId, nickname: x.nickname, group: x.group })), joinUrl: `${url}/join/${g.pin}`, answered: 0 } });
    });
    socket.on('host:players', (_p, ack) => ack({ ok: true, data: game ? [...game.players.values()].map((x) => ({ playerId: x.playerId, nickname: x.nickname, group: x.group })) : [] }));
    socket.on('host:command', (cmd, ack) => {
      const g = game;
      if (!g) return ack(err('NOT_AUTHORISED'));
      const last = g.index + 1 >= g.questions.length;
      switch (cmd?.type) {
        case 'start':
          if (g.phase !== 'lobby') return ack(err('WRONG_PHASE'));
          openQuestion(g, 0);
          break;
        case 'close':
          if (g.phase !== 'open') return ack(err('WRONG_PHASE'));
          close(g);
          break;
        case 'next':
          if (g.phase === 'reveal') g.phase = 'leaderboard';
          else if (g.phase === 'leaderboard' && !last) return void (openQuestion(g, g.index + 1), ack({ ok: true, data: view(g, 'viewer') }));
          else if (g.phase === 'leaderboard') g.phase = 'podium';
          else if (g.phase === 'podium') g.phase = 'ended';
          else return ack(err('WRONG_PHASE'));
          broadcast(g);
          break;
        case 'pause':
          if (g.phase !== 'open' || g.deadline === null) return ack(err('WRONG_PHASE'));
          clearTimeout(g.timer);
          g.remainingMs = g.deadline - Date.now();
          g.deadline = null;
          broadcast(g);
          break;
        case 'resume':
          if (g.phase !== 'open' || g.deadline !== null) return ack(err('WRONG_PHASE'));
          g.deadline = Date.now() + g.remainingMs;
          g.timer = setTimeout(() => close(g), g.remainingMs);
          broadcast(g);
          break;
        case 'add-time':
          if (g.phase !== 'open' || g.deadline === null) return ack(err('WRONG_PHASE'));
          clearTimeout(g.timer);
          g.deadline += cmd.seconds * 1000;
          g.timer = setTimeout(() => close(g), g.deadline - Date.now());
          broadcast(g);
          break;
        case 'lock':
        case 'unlock':
          g.locked = cmd.type === 'lock';
          broadcast(g);
          break;
        case 'kick': {
          const p = g.players.get(cmd.playerId);
          p?.socket?.emit('player:kicked');
          g.players.delete(cmd.playerId);
          broadcast(g);
          break;
        }
        case 'end':
          clearTimeout(g.timer);
          g.phase = 'ended';
          broadcast(g);
          break;
        default:
          return ack(err('BAD_REQUEST'));
      }
      ack({ ok: true, data: view(g, 'viewer') });
    });
  });
  io.of('/screen').on('connection', (socket) => {
    socket.on('clock:sync', (_p, ack) => ack({ ok: true, data: { serverTime: Date.now() } }));
    socket.on('screen:attach', (p, ack) => {
      const g = games.get(p?.pin);
      if (!g) return ack(err('GAME_NOT_FOUND'));
      void socket.join(g.pin);
      ack({ ok: true, data: view(g, 'viewer') });
    });
  });

  if (!existsSync(path.join(options.clientDir, 'index.html'))) throw new Error('build the client first: npm run build:client');
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    async close() {
      for (const g of games.values()) clearTimeout(g.timer);
      io.close();
      await new Promise((r) => http.close(r));
    },
  };
}
