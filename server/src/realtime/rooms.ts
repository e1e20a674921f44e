// socket.io room names: one room per game (every audience joins it) and one per contestant (kick, claim code).
export const room = (pin: string) => `g:${pin}`;
export const playerRoom = (pin: string, id: string) => `p:${pin}:${id}`;
