import type { HostCommand } from '../../../protocol/events';
import type { ErrorCode } from '../../../protocol/errors';
import { type GameState, deadlineOf } from './state';

/** Commands the engine understands: the host's, plus the server's own. */
export type EngineCommand =
  | Exclude<HostCommand, { type: 'kick' | 'kick-burst' }>
  /** Kicked players' devices: they may not join this game again. */
  | { type: 'ban'; devices: string[] }
  /** The deadline job fired: closes only if the deadline has really passed. */
  | { type: 'deadline'; index: number }
  /** Every player answered. */
  | { type: 'all-answered'; index: number }
  /** The scoring job finished question `index`. */
  | { type: 'scored'; index: number }
  /** An organiser took the game over: the host token with this hash replaces the previous one. */
  | { type: 'host-token'; tokenHash: string };

export interface EngineContext {
  now: number;
  questionCount: number;
  /** Time limit of question i in ms. */
  limitMs(index: number): number;
  /** Grace after the deadline during which answers are still accepted. */
  graceMs: number;
  /** "Get ready": a question's text shows this long before its options open; its timer starts after it. */
  readyMs?: number;
  /** Whether question i can change a score; after one that cannot (a poll) the leaderboard is skipped. Default: yes. */
  changesScores?(index: number): boolean;
}

export type Transition = { ok: true; state: GameState } | { ok: false; code: ErrorCode; message: string };

const wrongPhase = (cmd: string, state: GameState): Transition => ({
  ok: false,
  code: 'WRONG_PHASE',
  message: `'${cmd}' is not possible in phase '${state.phase}'`,
});

function open(state: GameState, index: number, ctx: EngineContext): GameState {
  return {
    ...state,
    phase: 'open',
    index,
    // Answers are timed from the real opening, after the "get ready".
    openedAt: ctx.now + (ctx.readyMs ?? 0),
    limitMs: ctx.limitMs(index),
    pausedAt: null,
    pausedMs: 0,
  };
}

function close(state: GameState): GameState {
  // Closing ends a pause too. The paused time is not booked into pausedMs: only an open question reads it
  // (deadline, remaining time, answer times), and answers were timed when they arrived.
  return { ...state, phase: 'closed', pausedAt: null };
}

/** The live game as a pure state machine: lobby → open → closed → reveal → leaderboard → … → podium → ended. */
export function applyCommand(state: GameState, cmd: EngineCommand, ctx: EngineContext): Transition {
  const next = transition(state, cmd, ctx);
  if (!next.ok) return next;
  return { ok: true, state: { ...next.state, seq: state.seq + 1 } };
}

function transition(state: GameState, cmd: EngineCommand, ctx: EngineContext): Transition {
  const s = state;
  if (s.phase === 'ended') return wrongPhase(cmd.type, s);
  switch (cmd.type) {
    case 'start':
      if (s.phase !== 'lobby') return wrongPhase(cmd.type, s);
      if (ctx.questionCount === 0) return { ok: false, code: 'WRONG_PHASE', message: 'the round has no questions' };
      return { ok: true, state: open(s, 0, ctx) };
    case 'next':
      // A board nothing changed would show the hall the same standings twice: after a poll, go straight on.
      if (s.phase === 'reveal' && ctx.changesScores?.(s.index) !== false)
        return { ok: true, state: { ...s, phase: 'leaderboard' } };
      if (s.phase === 'leaderboard' || s.phase === 'reveal')
        return {
          ok: true,
          state: s.index + 1 < ctx.questionCount ? open(s, s.index + 1, ctx) : { ...s, phase: 'podium' },
        };
      if (s.phase === 'podium') return { ok: true, state: { ...s, phase: 'ended', endedAt: ctx.now } };
      return wrongPhase(cmd.type, s);
    case 'close':
      if (s.phase !== 'open') return wrongPhase(cmd.type, s);
      return { ok: true, state: close(s) };
    case 'deadline': {
      if (s.phase !== 'open' || s.index !== cmd.index) return wrongPhase(cmd.type, s);
      const deadline = deadlineOf(s);
      if (deadline === null || ctx.now < deadline + ctx.graceMs)
        return { ok: false, code: 'WRONG_PHASE', message: 'deadline not reached (paused or time added)' };
      return { ok: true, state: close(s) };
    }
    case 'all-answered':
      if (s.phase !== 'open' || s.index !== cmd.index) return wrongPhase(cmd.type, s);
      return { ok: true, state: close(s) };
    case 'scored':
      if (s.phase !== 'closed' || s.index !== cmd.index) return wrongPhase(cmd.type, s);
      return { ok: true, state: { ...s, phase: 'reveal' } };
    case 'pause':
      if (s.phase !== 'open' || s.pausedAt !== null) return wrongPhase(cmd.type, s);
      // A pause during the "get ready" would let the options open while paused: it opens in a moment anyway.
      if (ctx.now < s.openedAt)
        return { ok: false, code: 'WRONG_PHASE', message: 'the question opens in a moment: pause after it opens' };
      return { ok: true, state: { ...s, pausedAt: ctx.now } };
    case 'resume':
      if (s.phase !== 'open' || s.pausedAt === null) return wrongPhase(cmd.type, s);
      return { ok: true, state: { ...s, pausedAt: null, pausedMs: s.pausedMs + (ctx.now - s.pausedAt) } };
    case 'add-time':
      if (s.phase !== 'open') return wrongPhase(cmd.type, s);
      return { ok: true, state: { ...s, limitMs: s.limitMs + cmd.seconds * 1000 } };
    case 'lock':
      return { ok: true, state: { ...s, locked: true } };
    case 'unlock':
      return { ok: true, state: { ...s, locked: false } };
    case 'ban':
      return { ok: true, state: { ...s, banned: [...new Set([...(s.banned ?? []), ...cmd.devices])] } };
    case 'host-token':
      return { ok: true, state: { ...s, hostTokenHash: cmd.tokenHash } };
    case 'end':
      return { ok: true, state: { ...s, phase: 'ended', pausedAt: null, endedAt: ctx.now } };
  }
}
