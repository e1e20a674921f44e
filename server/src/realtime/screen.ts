// The projector's namespace (/screen): read-only; attaching with a PIN joins the game's room for its views.
import type { Namespace } from 'socket.io';

import { EVENTS, ScreenAttachPayload } from '../../../protocol/events';
import type { LiveGames } from '../live/games';
import { lookingUpPin, onConnection, type ConnectionDeps } from './connection';
import { on } from './handler';
import { room } from './rooms';

export interface ScreenDeps extends ConnectionDeps {
  games: LiveGames;
}

export function registerScreen(screen: Namespace, deps: ScreenDeps) {
  onConnection(screen, 'screen', [EVENTS.screenAttach], deps, (socket) => {
    const data = socket.data as { pin?: string };
    on(socket, EVENTS.screenAttach, ScreenAttachPayload, 'join', deps, async ({ pin }) => {
      const snapshot = await lookingUpPin(socket, deps, () => deps.games.attachScreen(pin));
      if (data.pin && data.pin !== pin) void socket.leave(room(data.pin));
      data.pin = pin;
      void socket.join(room(pin));
      return snapshot;
    });
  });
}
