/**
 * The one error type the server throws for a refusal its caller should see, and the HTTP status of every error
 * code. Socket handlers answer it as `{ ok: false, error }`; the express error handler (http/error-handler.ts)
 * answers it with `HTTP_STATUS[code]`. Anything else thrown is a bug: logged, answered as `INTERNAL`.
 */
import type { ErrorCode } from '../../protocol/errors';

/** Each code's HTTP status, declared once: a new code in protocol/errors.ts does not compile until it has one. */
export const HTTP_STATUS = {
  BAD_REQUEST: 400,
  UNKNOWN_EVENT: 400,
  RATE_LIMITED: 429,
  GAME_NOT_FOUND: 404,
  NOT_FOUND: 404,
  LOBBY_LOCKED: 409,
  NICKNAME_TAKEN: 409,
  DEVICE_ALREADY_JOINED: 409,
  KICKED: 403,
  NICKNAME_REJECTED: 400,
  UNIT_UNKNOWN: 400,
  UNIT_REQUIRED: 400,
  NOT_JOINED: 409,
  TOKEN_INVALID: 401,
  WRONG_PHASE: 409,
  WRONG_QUESTION: 409,
  TOO_LATE: 409,
  ALREADY_ANSWERED: 409,
  INVALID_CHOICE: 400,
  PAUSED: 409,
  NOT_OPEN_YET: 409,
  NOT_AUTHORISED: 401,
  CONTEST_NOT_FOUND: 404,
  CONFLICT: 409,
  RESULTS_LOCKED: 409,
  NOT_REGISTERED: 401,
  ALREADY_REGISTERED: 409,
  PHONE_INVALID: 400,
  CONSENT_REQUIRED: 400,
  BAD_CODE: 403,
  ROUND_NOT_OPEN: 403,
  ROUND_CLOSED: 403,
  NO_ATTEMPTS_LEFT: 403,
  ATTEMPT_TOO_SOON: 403,
  ATTEMPT_NOT_FOUND: 404,
  ATTEMPT_OVER: 409,
  QUESTION_NOT_IN_ATTEMPT: 400,
  ROUND_NOT_CLOSED: 409,
  INVITATION_REQUIRED: 403,
  INVITATION_USED: 409,
  CERTIFICATE_NOT_READY: 409,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/** A refusal the caller turns into `{ ok: false, error: { code, message } }`. */
export class GameError extends Error {
  override readonly name = 'GameError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Fields an HTTP answer carries beside `error`, e.g. the ties that stopped a lock. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}
