// The host console's namespace (/host): attach with the host token, then game commands (start, next, kick, …)
// and the player list. The token is checked on every command (an organiser's takeover revokes it), and every action
// is written to the audit log.
import type { Namespace } from 'socket.io';

import {
  EVENTS,
  HostAttachPayload,
  HostBurstsPayload,
  HostCommand,
  HostPlayersPayload,
} from '../../../protocol/events';
import { hashToken } from '../auth';
import { GameError } from '../errors';
import type { LiveGames } from '../live/games';
import { socketAddress, type AuditEvent } from '../organiser/audit';
import { lookingUpPin, onConnection, type ConnectionDeps } from './connection';
import { on } from './handler';
import { hostRoom, room } from './rooms';

export interface HostDeps extends ConnectionDeps {
  games: LiveGames;
  /** Every host action is written to the audit log. */
  audit?: { record(e: AuditEvent): Promise<unknown> };
}

export function registerHost(host: Namespace, deps: HostDeps) {
  const { games } = deps;
  onConnection(
    host,
    'host',
    [EVENTS.hostAttach, EVENTS.hostCommand, EVENTS.hostPlayers, EVENTS.hostBursts],
    deps,
    (socket) => {
      const data = socket.data as { pin?: string; tokenHash?: string };
      const ip = socketAddress(socket.handshake, deps.trustProxy);
      /** Runs a host action and writes its audit line, whether it succeeded or was refused. */
      const audited = async <T>(
        pin: string,
        action: 'host.attach' | 'host.command' | 'host.kick',
        detail: AuditEvent['detail'],
        run: () => Promise<T>,
      ) => {
        try {
          const result = await run();
          await deps.audit?.record({ actor: `host:${pin}`, action, ip, pin, detail });
          return result;
        } catch (err) {
          await deps.audit?.record({
            actor: `host:${pin}`,
            action,
            ip,
            pin,
            detail,
            outcome: err instanceof GameError ? err.code : 'INTERNAL',
          });
          throw err;
        }
      };
      on(socket, EVENTS.hostAttach, HostAttachPayload, 'join', deps, async ({ pin, hostToken }) => {
        const snapshot = await audited(pin, 'host.attach', undefined, () =>
          lookingUpPin(socket, deps, () => games.attachHost(pin, hostToken)),
        );
        if (data.pin && data.pin !== pin) void socket.leave(room(data.pin));
        if (data.pin && data.tokenHash) void socket.leave(hostRoom(data.pin, data.tokenHash));
        data.pin = pin;
        data.tokenHash = hashToken(hostToken);
        // The token's own room: an organiser's takeover tells exactly the consoles holding this token.
        void socket.join([room(pin), hostRoom(pin, data.tokenHash)]);
        return snapshot;
      });
      const requireHost = async () => {
        if (!data.pin || !data.tokenHash) throw new GameError('NOT_AUTHORISED', 'attach with the host token first');
        // The token is checked again on every command: an organiser may have taken the game over since.
        if ((await games.hostTokenHash(data.pin)) !== data.tokenHash)
          throw new GameError('NOT_AUTHORISED', 'wrong host token');
        return data.pin;
      };
      on(socket, EVENTS.hostCommand, HostCommand, 'host', deps, async (cmd) => {
        const pin = await requireHost();
        return audited(
          pin,
          cmd.type === 'kick' || cmd.type === 'kick-burst' ? 'host.kick' : 'host.command',
          { ...cmd },
          () => games.command(pin, cmd),
        );
      });
      on(socket, EVENTS.hostPlayers, HostPlayersPayload, 'other', deps, async (p) =>
        games.listPlayers(await requireHost(), p?.query),
      );
      on(socket, EVENTS.hostBursts, HostBurstsPayload, 'other', deps, async () =>
        games.joinBursts(await requireHost()),
      );
    },
  );
}
