// Minimal game and player records for store-level tests (contract suites, journal, staged scoring).
import type { GameRecord, PlayerRecord } from '../src/game/state';

/** A game record with `questions` empty placeholders (the store reads only their count). */
export const gameRecord = (pin: string, questions = 0): GameRecord => ({
  pin,
  contestId: 'demo',
  roundId: 'r',
  title: 'T',
  roundTitle: 'R',
  scoring: 'speed',
  streakBonus: false,
  maskNames: false,
  questions: Array.from({ length: questions }, () => ({}) as GameRecord['questions'][number]),
  predictionIndex: null,
  hostTokenHash: 'h',
  createdAt: 1,
});

export const playerRecord = (id: string, unit?: string, joinedAt = 1): PlayerRecord => ({
  id,
  nickname: id,
  group: 'nguoi-dan',
  ...(unit ? { unit } : {}),
  joinedAt,
  consentAt: 1,
});
