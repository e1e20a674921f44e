/**
 * The projector's sound, synthesised with the Web Audio API (no audio files to license or download):
 * a soft looping arpeggio over a pad in the lobby and while a question is open, and short chimes for
 * time-up, the reveal and the podium. Loaded with import() only when the host turns sound on.
 */
import type { Cue, Music } from './cues';

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

interface Loop {
  /** Beats per minute; one step is an eighth note. */
  bpm: number;
  /** One chord per bar (MIDI notes, low octave), played in turn. */
  chords: number[][];
  /** Which chord tone each of the 8 steps of a bar plays (3 = the root an octave up). */
  arp: number[];
  /** A soft low pulse on each beat, for a question's gentle urgency. */
  pulse: boolean;
}

const LOOPS: Record<Exclude<Music, null>, Loop> = {
  // C – Am – F – G, calm.
  lobby: {
    bpm: 84,
    chords: [
      [48, 52, 55],
      [45, 48, 52],
      [41, 45, 48],
      [43, 47, 50],
    ],
    arp: [0, 1, 2, 3, 2, 1, 0, 1],
    pulse: false,
  },
  // Am – F – C – G, a little quicker, with a pulse.
  question: {
    bpm: 108,
    chords: [
      [45, 48, 52],
      [41, 45, 48],
      [48, 52, 55],
      [43, 47, 50],
    ],
    arp: [0, 2, 1, 3, 0, 2, 1, 3],
    pulse: true,
  },
};

/** A note of a loop: what sounds at one step (exported for the tests). */
export function loopStep(
  music: Exclude<Music, null>,
  step: number,
): { arp: number; chord: number[] | null; pulse: number | null } {
  const loop = LOOPS[music];
  const bar = Math.floor(step / 8) % loop.chords.length;
  const chord = loop.chords[bar]!;
  const i = loop.arp[step % 8]!;
  const arp = (i === 3 ? chord[0]! + 12 : chord[i]!) + 24;
  return { arp, chord: step % 8 === 0 ? chord : null, pulse: loop.pulse && step % 2 === 0 ? chord[0]! - 12 : null };
}

/** One enveloped oscillator into `out`: quick attack, exponential decay to silence. */
function tone(
  ctx: BaseAudioContext,
  out: AudioNode,
  o: { freq: number; at: number; dur: number; gain: number; type?: OscillatorType; attack?: number },
) {
  const osc = ctx.createOscillator();
  const env = ctx.createGain();
  osc.type = o.type ?? 'sine';
  osc.frequency.value = o.freq;
  const attack = o.attack ?? 0.005;
  env.gain.setValueAtTime(0.0001, o.at);
  env.gain.exponentialRampToValueAtTime(o.gain, o.at + attack);
  env.gain.exponentialRampToValueAtTime(0.0001, o.at + attack + o.dur);
  osc.connect(env).connect(out);
  osc.start(o.at);
  osc.stop(o.at + attack + o.dur + 0.05);
  osc.onended = () => env.disconnect();
}

/** A bell: a sine and its inharmonic partial, the partial dying first. */
function bell(ctx: BaseAudioContext, out: AudioNode, freq: number, at: number, gain: number, dur = 1.2) {
  tone(ctx, out, { freq, at, dur, gain });
  tone(ctx, out, { freq: freq * 2.76, at, dur: dur / 3, gain: gain / 4 });
}

/** Schedules a one-off cue at time `at`; returns how long it lasts. */
function scheduleCue(ctx: BaseAudioContext, out: AudioNode, cue: Cue, at: number): number {
  switch (cue) {
    case 'time-up':
      // Two falling bells: G5 then C5.
      bell(ctx, out, hz(79), at, 0.3);
      bell(ctx, out, hz(72), at + 0.25, 0.3, 1.4);
      return 1.7;
    case 'reveal':
      // A quick rising C major arpeggio that rings.
      [72, 76, 79, 84].forEach((m, i) => bell(ctx, out, hz(m), at + i * 0.09, 0.18, i === 3 ? 1.4 : 0.5));
      return 1.7;
    case 'fanfare': {
      // "Ta-ta-ta-taaa" in soft brass (filtered saw), then a held C major chord.
      const brass = ctx.createBiquadFilter();
      brass.type = 'lowpass';
      brass.frequency.value = 1800;
      brass.connect(out);
      const notes: [number, number, number][] = [
        [67, 0, 0.14],
        [67, 0.18, 0.14],
        [67, 0.36, 0.14],
        [72, 0.54, 1.6],
      ];
      for (const [m, t, d] of notes)
        tone(ctx, brass, { freq: hz(m), at: at + t, dur: d, gain: 0.12, type: 'sawtooth', attack: 0.02 });
      for (const m of [64, 67, 76])
        tone(ctx, brass, { freq: hz(m), at: at + 0.54, dur: 1.6, gain: 0.06, type: 'sawtooth', attack: 0.05 });
      bell(ctx, out, hz(84), at + 0.54, 0.12, 1.8);
      return 2.4;
    }
  }
}

/** The live sound of one projector page (on an OfflineAudioContext too, which the e2e test renders). */
export class ScreenSound {
  readonly ctx: AudioContext;
  private readonly out: GainNode;
  private readonly musicBus: GainNode;
  private music: Music = null;
  private step = 0;
  private nextAt = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(ctx: AudioContext = new AudioContext()) {
    this.ctx = ctx;
    const limiter = ctx.createDynamicsCompressor();
    limiter.connect(ctx.destination);
    this.out = ctx.createGain();
    this.out.gain.value = 0.8;
    this.out.connect(limiter);
    // The music sits well under the chimes and rolls off its highs, so it never tires.
    const soft = ctx.createBiquadFilter();
    soft.type = 'lowpass';
    soft.frequency.value = 2200;
    soft.connect(this.out);
    this.musicBus = ctx.createGain();
    this.musicBus.gain.value = 0.5;
    this.musicBus.connect(soft);
  }

  /** Browsers start audio only after a click or key press; call this from one. */
  resume(): Promise<void> {
    return this.ctx.state === 'suspended' ? this.ctx.resume() : Promise.resolve();
  }

  setMusic(music: Music): void {
    if (music === this.music) return;
    this.music = music;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!music) return;
    this.step = 0;
    this.nextAt = this.ctx.currentTime + 0.1;
    // Schedule a little ahead on a coarse timer: Web Audio keeps the beat exact even if the tab is busy.
    this.timer = setInterval(() => this.schedule(), 50);
    this.schedule();
  }

  play(cue: Cue): void {
    scheduleCue(this.ctx, this.out, cue, this.ctx.currentTime + 0.02);
  }

  close(): void {
    this.setMusic(null);
    void this.ctx.close();
  }

  private schedule(): void {
    const music = this.music;
    if (!music) return;
    // While the context is suspended its clock stands still, so this schedules a quarter second at most.
    // After a long pause (tab hidden, context suspended) start again from now instead of catching up.
    if (this.nextAt < this.ctx.currentTime) this.nextAt = this.ctx.currentTime + 0.05;
    const stepDur = 60 / LOOPS[music].bpm / 2;
    while (this.nextAt < this.ctx.currentTime + 0.25) {
      const s = loopStep(music, this.step);
      const at = this.nextAt;
      tone(this.ctx, this.musicBus, { freq: hz(s.arp), at, dur: stepDur * 2.5, gain: 0.07, type: 'triangle' });
      if (s.chord)
        for (const m of s.chord) {
          // A pad: two slightly detuned voices per chord tone, slow in and out over the bar.
          for (const detune of [-4, 4])
            tone(this.ctx, this.musicBus, {
              freq: hz(m + 12) * 2 ** (detune / 1200),
              at,
              dur: stepDur * 8,
              gain: 0.025,
              attack: 0.4,
            });
        }
      if (s.pulse !== null) tone(this.ctx, this.musicBus, { freq: hz(s.pulse + 12), at, dur: 0.18, gain: 0.09 });
      this.nextAt += stepDur;
      this.step++;
    }
  }
}
