/**
 * Names and limits of the live protocol, free of zod so that the browser bundle can import them
 * without pulling in the schemas. `events.ts` re-exports everything here.
 */

/** socket.io namespaces: one per role. */
export const NAMESPACES = { play: '/play', host: '/host', screen: '/screen' } as const;

/** Event names, `domain:action`. A breaking payload change gets a new name (e.g. `answer:submit.v2`). */
export const EVENTS = {
  // contestant → server (namespace /play)
  playerJoin: 'player:join',
  playerResume: 'player:resume',
  answerSubmit: 'answer:submit',
  clockSync: 'clock:sync',
  // host → server (namespace /host)
  hostAttach: 'host:attach',
  hostCommand: 'host:command',
  hostPlayers: 'host:players',
  hostBursts: 'host:bursts',
  // screen → server (namespace /screen)
  screenAttach: 'screen:attach',
  // server → clients
  gameState: 'game:state',
  gameAnswers: 'game:answers',
  gamePlayers: 'game:players',
  playerResult: 'player:result',
  playerKicked: 'player:kicked',
  /** A prize was awarded to this player (results locked): the code to show at the organisers' desk. */
  playerClaim: 'player:claim',
  /** To a host console: an organiser took this game over from another tab; this one no longer controls it. */
  hostReplaced: 'host:replaced',
} as const;

export const PIN_LENGTH = 6;
/** Longest nickname, in characters after trimming. */
export const NICKNAME_MAX = 24;
