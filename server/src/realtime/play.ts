// The contestants' namespace (/play): join, resume and answer. A phone that joins or resumes joins its game's
// and its own room and is registered with the fan-out, which sends it the reveal with its personal result.
import type { Namespace } from 'socket.io';
import { BurstyRateLimiter, RateLimiterMemory } from 'rate-limiter-flexible';

import { AnswerPayload, EVENTS, JoinPayload, ResumePayload, type ClaimNotice } from '../../../protocol/events';
import type { PlayerRecord } from '../game/state';
import { GameError } from '../errors';
import type { LiveGames } from '../live/games';
import { socketAddress } from '../organiser/audit';
import { lookingUpPin, onConnection, type ConnectionDeps } from './connection';
import type { FanOut } from './fan-out';
import { on } from './handler';
import { playerRoom, room } from './rooms';

export interface PlayDeps extends ConnectionDeps {
  games: LiveGames;
  fanOut: Pick<FanOut, 'addContestant' | 'removeContestant'>;
  /** Prizes a resuming player won (claim codes). */
  claims?: { noticesFor(pin: string, playerId: string): Promise<ClaimNotice[]> };
  /** Joins per client address (config JOIN_BURST_PER_ADDRESS, JOIN_RATE_PER_ADDRESS). */
  joinLimits?: JoinLimits;
}

export interface JoinLimits {
  /** Joins one address may make at once (a hall of phones behind one router) … */
  burst: number;
  /** … and then per second. */
  perSecond: number;
}

/**
 * Joins per client address on this node: a steady rate, plus a burst allowance that refills in burst / rate seconds.
 * Behind one router every phone of a hall shares an address, hence the generous defaults.
 */
export function addressJoinLimiter({ burst, perSecond }: JoinLimits) {
  const steady = new RateLimiterMemory({ points: perSecond, duration: 1 });
  const extra = new RateLimiterMemory({
    points: Math.max(1, burst - perSecond),
    duration: Math.max(1, Math.ceil(burst / perSecond)),
  });
  const limiter = new BurstyRateLimiter(steady, extra);
  /** Counts one join from `address`; refused as RATE_LIMITED past the limit. */
  return async (address: string) => {
    try {
      await limiter.consume(address);
    } catch {
      throw new GameError('RATE_LIMITED', 'too many joins from this address; try again in a few seconds');
    }
  };
}

interface PlayerData {
  pin?: string;
  player?: PlayerRecord;
}

export function registerPlay(play: Namespace, deps: PlayDeps) {
  const { games, metrics, fanOut } = deps;
  const countJoin = addressJoinLimiter(deps.joinLimits ?? { burst: 200, perSecond: 20 });
  onConnection(play, 'play', [EVENTS.playerJoin, EVENTS.playerResume, EVENTS.answerSubmit], deps, (socket) => {
    const data = socket.data as PlayerData;
    const address = socketAddress(socket.handshake, deps.trustProxy);
    const enter = (pin: string, player: PlayerRecord) => {
      if (data.pin && data.player) leave();
      data.pin = pin;
      data.player = player;
      void socket.join([room(pin), playerRoom(pin, player.id)]);
      fanOut.addContestant(pin, player, socket);
    };
    const leave = () => {
      if (data.pin && data.player) fanOut.removeContestant(data.pin, data.player.id, socket);
    };

    on(socket, EVENTS.playerJoin, JoinPayload, 'join', deps, async (payload) => {
      if (data.player) throw new GameError('BAD_REQUEST', 'this connection already joined; resume instead');
      try {
        await countJoin(address);
        const { result, player } = await lookingUpPin(socket, deps, () => games.join(payload, address));
        enter(payload.pin, player);
        metrics.joins.inc({ kind: 'join', outcome: 'ok' });
        return result;
      } catch (err) {
        metrics.joins.inc({ kind: 'join', outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    });
    on(socket, EVENTS.playerResume, ResumePayload, 'join', deps, async ({ pin, token }) => {
      try {
        const { result, player } = await games.resume(pin, token);
        const claims = await deps.claims?.noticesFor(pin, player.id);
        if (claims?.length) result.claims = claims;
        enter(pin, player);
        metrics.joins.inc({ kind: 'resume', outcome: 'ok' });
        return result;
      } catch (err) {
        metrics.joins.inc({ kind: 'resume', outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    });
    on(socket, EVENTS.answerSubmit, AnswerPayload, 'answer', deps, async (payload) => {
      if (!data.pin || !data.player) throw new GameError('NOT_JOINED', 'join or resume first');
      try {
        const r = await games.submitAnswer(data.pin, data.player.id, payload);
        metrics.answers.inc({ outcome: 'accepted' });
        return r;
      } catch (err) {
        metrics.answers.inc({ outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    });
    socket.on('disconnect', leave);
  });
}
