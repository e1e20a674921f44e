/**
 * Error codes a client may receive in `{ ok: false, error: { code, message } }`.
 * Clients translate the code; `message` is an English hint for developers, never a stack trace.
 */
export const ERROR_CODES = [
  /** The payload failed its schema. Nothing changed. */
  'BAD_REQUEST',
  /** The event name is not part of the protocol. */
  'UNKNOWN_EVENT',
  /** Too many requests from this connection; try again shortly. */
  'RATE_LIMITED',
  /** No live game has this PIN. */
  'GAME_NOT_FOUND',
  /** Nothing has this id or name: a claim code no prize has, a media file. */
  'NOT_FOUND',
  /** The host closed the lobby: no new players (those already in play on). */
  'LOBBY_LOCKED',
  /** Another player in this game already uses this nickname. */
  'NICKNAME_TAKEN',
  /** This device already joined this game: resume (reload the page) instead of joining again. */
  'DEVICE_ALREADY_JOINED',
  /** The host removed this player (or this device) from the game: it cannot join it again. */
  'KICKED',
  /** The nickname was refused by the filter. */
  'NICKNAME_REJECTED',
  /** The unit is not in the contest's unit list. */
  'UNIT_UNKNOWN',
  /** A unit round (docs/contests.md, "Unit rounds"): the join named no unit. */
  'UNIT_REQUIRED',
  /** This connection has not joined (or resumed) a game. */
  'NOT_JOINED',
  /** The reconnect token does not match a player of this game. */
  'TOKEN_INVALID',
  /** The command or answer does not fit the game's current phase. */
  'WRONG_PHASE',
  /** The answer names another question than the open one. */
  'WRONG_QUESTION',
  /** The answer arrived after the deadline plus grace. */
  'TOO_LATE',
  /** This player already answered this question; the first answer counts. */
  'ALREADY_ANSWERED',
  /** The choice does not fit the question (index out of range, wrong type). */
  'INVALID_CHOICE',
  /** The countdown is paused; answers wait until it resumes. */
  'PAUSED',
  /** The question is in its "get ready" seconds: its options are not open yet. */
  'NOT_OPEN_YET',
  /** Missing or wrong credentials (host token, organiser session). */
  'NOT_AUTHORISED',
  /** No contest or round with this id. */
  'CONTEST_NOT_FOUND',
  /** Someone else changed the game at the same moment; retry. */
  'CONFLICT',
  /** The organiser locked this game's results: nothing that changes them (scores, kicks, deletions) is accepted. */
  'RESULTS_LOCKED',
  /** Online round: no valid contestant token (register or resume first). */
  'NOT_REGISTERED',
  /** Online round: this phone number is already registered in the contest; resume with the contestant code. */
  'ALREADY_REGISTERED',
  /** Online round: not a Vietnamese mobile number. */
  'PHONE_INVALID',
  /** Online round: registration needs the contestant's consent to the privacy notice. */
  'CONSENT_REQUIRED',
  /** Online round: the phone number and contestant code do not match. */
  'BAD_CODE',
  /** Online round: the round has not opened yet (server time). */
  'ROUND_NOT_OPEN',
  /** Online round: the round has closed (server time). */
  'ROUND_CLOSED',
  /** Online round: every attempt allowed in this round is used. */
  'NO_ATTEMPTS_LEFT',
  /** Online round: this period's attempts are used; the next may start later (see `me`). */
  'ATTEMPT_TOO_SOON',
  /** Online round: no attempt with this id belongs to this contestant. */
  'ATTEMPT_NOT_FOUND',
  /** Online round: the attempt was submitted or its time is up; nothing more is saved. */
  'ATTEMPT_OVER',
  /** Online round: the question is not part of this attempt. */
  'QUESTION_NOT_IN_ATTEMPT',
  /** Online round: its results are not final yet (attempts may still start or run): lock it after it closes. */
  'ROUND_NOT_CLOSED',
  /** A live round open to invited contestants only: the join carried no invitation code, or an unknown one. */
  'INVITATION_REQUIRED',
  /** The invitation code was already used by another player. */
  'INVITATION_USED',
  /** A certificate cannot be made yet: the results are not locked, or the winner has not been to the prize desk. */
  'CERTIFICATE_NOT_READY',
  /** Something failed on the server; it was logged. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error half of every acknowledgement. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** Every acknowledgement: success with data, or an error code. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };
