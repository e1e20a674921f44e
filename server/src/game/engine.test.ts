import { describe, expect, it } from 'vitest';
import { applyCommand, type EngineCommand, type EngineContext } from './engine';
import { deadlineOf, initialState, remainingMs, type GameState } from './state';

const ctx = (now: number, questionCount = 2): EngineContext => ({
  now,
  questionCount,
  limitMs: () => 10_000,
  graceMs: 300,
});

function applyOk(s: GameState, cmd: EngineCommand, c: EngineContext = ctx(1000, 3)): GameState {
  const r = applyCommand(s, cmd, c);
  if (!r.ok) throw new Error(`${cmd.type} refused: ${r.message}`);
  return r.state;
}

/** Runs commands in order; returns the final state, failing on any refusal. */
function run(cmds: [EngineCommand, number][], questionCount = 2): GameState {
  let s = initialState();
  for (const [cmd, now] of cmds) {
    const r = applyCommand(s, cmd, ctx(now, questionCount));
    if (!r.ok) throw new Error(`${cmd.type} refused: ${r.message}`);
    s = r.state;
  }
  return s;
}

describe(applyCommand.name, () => {
  it('after a question that changes no score (a poll) skips the leaderboard: to the next question, or the podium', () => {
    const polls = (now: number, pollAt: number): EngineContext => ({
      ...ctx(now, 3),
      changesScores: (i) => i !== pollAt,
    });
    for (const [pollAt, after] of [
      [0, 'open1'],
      [2, 'podium2'],
    ] as const) {
      let s = initialState();
      const phases: string[] = [];
      for (let i = 0; i <= 2; i++) {
        for (const cmd of [{ type: 'close' }, { type: 'scored', index: i }, { type: 'next' }] as EngineCommand[]) {
          const r = applyCommand(s.phase === 'lobby' ? applyOk(s, { type: 'start' }) : s, cmd, polls(1000, pollAt));
          if (!r.ok) throw new Error(`${cmd.type} refused in ${s.phase}: ${r.message}`);
          s = r.state;
        }
        phases.push(`${s.phase}${s.index}`);
        if (s.phase === 'leaderboard') s = applyOk(s, { type: 'next' }, polls(1000, pollAt));
      }
      expect(phases[pollAt]).toBe(after);
      // Every other question still shows its board.
      expect(phases.filter((p) => p.startsWith('leaderboard'))).toHaveLength(2);
    }
  });

  it('walks lobby → open → closed → reveal → leaderboard → open → … → podium → ended', () => {
    const phases: string[] = [];
    let s = initialState();
    const steps: EngineCommand[] = [
      { type: 'start' },
      { type: 'close' },
      { type: 'scored', index: 0 },
      { type: 'next' },
      { type: 'next' },
      { type: 'all-answered', index: 1 },
      { type: 'scored', index: 1 },
      { type: 'next' },
      { type: 'next' },
      { type: 'next' },
    ];
    for (const cmd of steps) {
      const r = applyCommand(s, cmd, ctx(1000));
      expect(r.ok, cmd.type).toBe(true);
      if (r.ok) {
        expect(r.state.seq).toBe(s.seq + 1);
        s = r.state;
        phases.push(`${s.phase}${s.index}`);
      }
    }
    expect(phases).toEqual([
      'open0',
      'closed0',
      'reveal0',
      'leaderboard0',
      'open1',
      'closed1',
      'reveal1',
      'leaderboard1',
      'podium1',
      'ended1',
    ]);
  });

  it.each<[string, [EngineCommand, number][], EngineCommand]>([
    ['next in the lobby', [], { type: 'next' }],
    ['start twice', [[{ type: 'start' }, 0]], { type: 'start' }],
    ['next while open', [[{ type: 'start' }, 0]], { type: 'next' }],
    [
      'pause twice',
      [
        [{ type: 'start' }, 0],
        [{ type: 'pause' }, 1],
      ],
      { type: 'pause' },
    ],
    ['resume when running', [[{ type: 'start' }, 0]], { type: 'resume' }],
    ['add time in the lobby', [], { type: 'add-time', seconds: 10 }],
    [
      'scored for another question',
      [
        [{ type: 'start' }, 0],
        [{ type: 'close' }, 1],
      ],
      { type: 'scored', index: 1 },
    ],
    ['anything after end', [[{ type: 'end' }, 0]], { type: 'unlock' }],
  ])('refuses %s with WRONG_PHASE', (_l, before, cmd) => {
    const r = applyCommand(run(before), cmd, ctx(5));
    expect(r).toMatchObject({ ok: false, code: 'WRONG_PHASE' });
  });

  it('closes on the deadline only once it (plus grace) has passed, counting pauses and added time', () => {
    const s = run([
      [{ type: 'start' }, 0],
      [{ type: 'pause' }, 2_000],
      [{ type: 'resume' }, 5_000],
      [{ type: 'add-time', seconds: 10 }, 6_000],
    ]);
    expect(deadlineOf(s)).toBe(0 + 10_000 + 3_000 + 10_000);
    expect(remainingMs(s, 20_000)).toBe(3_000);
    expect(applyCommand(s, { type: 'deadline', index: 0 }, ctx(23_200)).ok).toBe(false);
    expect(applyCommand(s, { type: 'deadline', index: 0 }, ctx(23_300))).toMatchObject({
      ok: true,
      state: { phase: 'closed' },
    });
    expect(applyCommand(s, { type: 'deadline', index: 1 }, ctx(99_000)).ok).toBe(false);
  });

  it('has no deadline while paused, and the remaining time freezes', () => {
    const s = run([
      [{ type: 'start' }, 0],
      [{ type: 'pause' }, 4_000],
    ]);
    expect(deadlineOf(s)).toBeNull();
    expect(remainingMs(s, 60_000)).toBe(6_000);
    expect(applyCommand(s, { type: 'deadline', index: 0 }, ctx(60_000)).ok).toBe(false);
  });

  it('locks and unlocks the lobby in any phase before the end; end works from any phase', () => {
    expect(run([[{ type: 'lock' }, 0]]).locked).toBe(true);
    expect(
      run([
        [{ type: 'lock' }, 0],
        [{ type: 'unlock' }, 0],
      ]).locked,
    ).toBe(false);
    expect(
      run([
        [{ type: 'start' }, 0],
        [{ type: 'end' }, 7],
      ]),
    ).toMatchObject({ phase: 'ended', endedAt: 7 });
  });

  it('bans kicked devices once each, in any phase before the end', () => {
    const banned = run([
      [{ type: 'ban', devices: ['d1', 'd2'] }, 0],
      [{ type: 'start' }, 0],
      [{ type: 'ban', devices: ['d2', 'd3'] }, 0],
    ]);
    expect(banned.banned).toEqual(['d1', 'd2', 'd3']);
    expect(banned.phase).toBe('open');
    const ended = run([[{ type: 'end' }, 0]]);
    expect(applyCommand(ended, { type: 'ban', devices: ['d1'] }, ctx(0)).ok).toBe(false);
  });

  it('replaces the host token in any phase before the end, leaving the question and its clock alone', () => {
    const open = run([[{ type: 'start' }, 1000]]);
    const r = applyCommand(open, { type: 'host-token', tokenHash: 'h2' }, ctx(4000));
    expect(r.ok && r.state).toEqual({ ...open, seq: open.seq + 1, hostTokenHash: 'h2' });
    const ended = run([[{ type: 'end' }, 0]]);
    expect(applyCommand(ended, { type: 'host-token', tokenHash: 'h2' }, ctx(0))).toMatchObject({
      ok: false,
      code: 'WRONG_PHASE',
    });
  });

  it('opens a question after its "get ready": deadline and answer times count from then; no pause before it', () => {
    const ready: EngineContext = { ...ctx(1000), readyMs: 3000 };
    const r = applyCommand(initialState(), { type: 'start' }, ready);
    if (!r.ok) throw new Error(r.message);
    expect(r.state).toMatchObject({ phase: 'open', openedAt: 4000 });
    expect(deadlineOf(r.state)).toBe(14_000);
    expect(remainingMs(r.state, 1000)).toBe(13_000);
    expect(applyCommand(r.state, { type: 'pause' }, { ...ready, now: 3999 })).toMatchObject({
      ok: false,
      code: 'WRONG_PHASE',
    });
    expect(applyCommand(r.state, { type: 'pause' }, { ...ready, now: 4000 }).ok).toBe(true);
    // Closing early still works during the get-ready.
    expect(applyCommand(r.state, { type: 'close' }, { ...ready, now: 2000 }).ok).toBe(true);
  });

  it('refuses to start a round without questions', () => {
    expect(applyCommand(initialState(), { type: 'start' }, ctx(0, 0)).ok).toBe(false);
  });
});
