// socket.io room names: one room per game (every audience joins it) and one per contestant (kick, claim code).
export const room = (pin: string) => `g:${pin}`;
export const playerRoom = (pin: string, id: string) => `p:${pin}:${id}`;
/** The host consoles attached with one host token (by its hash, never sent anywhere): a takeover tells exactly them. */
export const hostRoom = (pin: string, tokenHash: string) => `h:${pin}:${tokenHash}`;
