// The contestant code: what lets a contestant take their registration back on another device without SMS.
// Short and readable (no 0/O, 1/I/L), shown once at registration and kept on the phone.
import { randomInt } from 'node:crypto';
import { hashToken } from '../auth';

/** 31 characters that cannot be mistaken for one another when read aloud or copied by hand. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

/** A fresh random code, e.g. `K7M2QH` (31^6 ≈ 887 million; wrong guesses are rate-limited per number). */
export function newContestantCode(pick: (n: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[pick(CODE_ALPHABET.length)];
  return code;
}

/** What the contestant typed → the code's canonical form: case, spaces and dashes ignored. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-_.]/g, '');
}

/** Stored form: a hash, like tokens, salted with the contestant id so equal codes do not show. */
export function hashCode(contestantId: string, code: string): string {
  return hashToken(`${contestantId}:${normaliseCode(code)}`);
}

/** The contestant as an identity check sees them. */
export interface CheckedContestant {
  id: string;
  phone: string;
  codeHash: string;
}

/**
 * How a returning contestant proves the number is theirs. Today: the contestant code. An SMS or Zalo OTP provider
 * implements the same interface (`challenge` sends the one-time code, `verify` checks it) and replaces this one.
 */
export interface IdentityCheck {
  readonly method: 'contestant-code' | 'otp';
  /** Starts a check (sends an OTP); nothing to do for the contestant code. */
  challenge?(contestant: CheckedContestant): Promise<void>;
  verify(contestant: CheckedContestant, proof: string): Promise<boolean>;
}

/** The check that needs no SMS: the code shown at registration. */
export const contestantCodeCheck: IdentityCheck = {
  method: 'contestant-code',
  async verify(contestant, proof) {
    return hashCode(contestant.id, proof) === contestant.codeHash;
  },
};
