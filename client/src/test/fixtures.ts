import type { JoinResult, PhaseView, PlayerStanding, PublicQuestion } from '../../../protocol';

/** Builders of protocol payloads for tests, with defaults a test overrides. */
export const base = {
  pin: '123456',
  title: 'Thử nhanh',
  roundTitle: 'Vòng thử',
  total: 3,
  players: 3,
  locked: false,
  scoring: 'speed' as const,
};

export const singleQuestion: PublicQuestion = {
  id: 'q1',
  type: 'single',
  text: 'Ngày Chuyển đổi số quốc gia là ngày nào?',
  options: ['10 tháng 10', '2 tháng 9', '1 tháng 6', '20 tháng 11'],
  timeLimitSec: 20,
  points: 1000,
};

export function lobby(seq = 1): PhaseView {
  return { ...base, seq, index: -1, phase: 'lobby' };
}
export function open(seq: number, index = 0, question: PublicQuestion = singleQuestion): PhaseView {
  return {
    ...base,
    seq,
    index,
    phase: 'open',
    question,
    deadline: Date.now() + 20_000,
    remainingMs: 20_000,
    paused: false,
  };
}
export function reveal(seq: number, index = 0, question: PublicQuestion = singleQuestion): PhaseView {
  return {
    ...base,
    seq,
    index,
    phase: 'reveal',
    question,
    reveal: {
      correctOptions: [0],
      explanation: 'Quyết định 505/QĐ-TTg.',
      source: { title: 'Quyết định 505/QĐ-TTg' },
      distribution: [2, 1, 0, 0],
      answered: 3,
      correctCount: 2,
    },
  };
}
export const me: PlayerStanding = {
  playerId: 'p-abcdef',
  nickname: 'Lan',
  group: 'nguoi-dan',
  score: 0,
  streak: 0,
  correct: 0,
  rank: null,
};
export function joinResult(state: PhaseView, extra: Partial<JoinResult> = {}): JoinResult {
  return { token: 'tok_abcdefghijklmnop', me, state, answered: false, serverTime: Date.now(), ...extra };
}
