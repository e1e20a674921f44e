import { describe, expect, it } from 'vitest';
import { cueFor, musicFor, rememberSound, soundRemembered } from './cues';
import { loopStep } from './sound';

describe('projector sound cues', () => {
  it('plays music only in the lobby and while a question is open', () => {
    expect(musicFor('lobby')).toBe('lobby');
    expect(musicFor('open')).toBe('question');
    for (const p of ['closed', 'reveal', 'leaderboard', 'podium', 'ended', null] as const)
      expect(musicFor(p)).toBeNull();
  });

  it('rings once per change of phase, never on the first view after a page load', () => {
    expect(cueFor('open', 'closed')).toBe('time-up');
    expect(cueFor('closed', 'reveal')).toBe('reveal');
    // Everyone answered before time: straight to the reveal, no time-up.
    expect(cueFor('open', 'reveal')).toBe('reveal');
    expect(cueFor('leaderboard', 'podium')).toBe('fanfare');
    expect(cueFor(null, 'podium')).toBeNull();
    expect(cueFor('reveal', 'reveal')).toBeNull();
    expect(cueFor('podium', 'ended')).toBeNull();
    expect(cueFor('lobby', 'open')).toBeNull();
  });

  it('is off until switched on, and remembers the switch', () => {
    localStorage.clear();
    expect(soundRemembered()).toBe(false);
    rememberSound(true);
    expect(soundRemembered()).toBe(true);
    rememberSound(false);
    expect(soundRemembered()).toBe(false);
  });

  it('loops a four-bar arpeggio with the chord on each bar’s first step', () => {
    const bar = (music: 'lobby' | 'question', b: number) =>
      Array.from({ length: 8 }, (_, i) => loopStep(music, b * 8 + i));
    // Lobby bar 1 is C major: C5 E5 G5 C6 … with the C chord held under it.
    expect(bar('lobby', 0).map((s) => s.arp)).toEqual([72, 76, 79, 84, 79, 76, 72, 76]);
    expect(bar('lobby', 0).map((s) => s.chord)).toEqual([[48, 52, 55], null, null, null, null, null, null, null]);
    expect(bar('lobby', 0).every((s) => s.pulse === null)).toBe(true);
    // After four bars it starts again.
    expect(bar('lobby', 4)).toEqual(bar('lobby', 0));
    // The question loop pulses on each beat (every other eighth).
    expect(bar('question', 0).map((s) => s.pulse !== null)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});
