// What each audience may see of a game, built from its record and state: questions without their answers, options
// and reveals in the game's shown order, boards only in the phases that show them.
import type { Contest, TargetGroup } from '../../../protocol/contest';
import { TARGET_GROUPS } from '../../../protocol/contest';
import type { LeaderRow, PhaseView, PublicQuestion, Reveal, UnitRow } from '../../../protocol/events';
import { shownOptions } from '../game/option-order';
import { optionTexts } from '../game/question';
import {
  deadlineOf,
  optionOrder,
  remainingMs,
  type GameRecord,
  type GameState,
  type PlayerRecord,
} from '../game/state';
import type { Store } from '../store/store';
import { unitBoard } from './unit-board';

/**
 * Question `index` as it may leave the server while open: no correct answer, no explanation, the options in the
 * game's drawn order (the same on every phone and the projector).
 */
export function publicQuestion(game: GameRecord, index: number): PublicQuestion {
  const q = game.questions[index]!;
  const out: PublicQuestion = { id: q.id, type: q.type, text: q.text, timeLimitSec: q.timeLimitSec, points: q.points };
  if (q.type !== 'numeric') out.options = shownOptions(optionTexts(q), optionOrder(game, index));
  if (q.type === 'numeric') Object.assign(out, { min: q.min, max: q.max, ...(q.unit ? { unit: q.unit } : {}) });
  if (q.image) out.image = { src: `/media/${game.contestId}/${encodeURIComponent(q.image.src)}`, alt: q.image.alt };
  return out;
}

/** A reveal (stored in the bank's option order) in the order the game shows the options. */
export function shownReveal(game: GameRecord, index: number, reveal: Reveal): Reveal {
  const perm = optionOrder(game, index);
  if (!perm.length) return reveal; // numeric: no options
  return {
    ...reveal,
    correctOptions: reveal.correctOptions.map((b) => perm.indexOf(b)).sort((a, b) => a - b),
    distribution: shownOptions(reveal.distribution, perm),
  };
}

/**
 * "Nguyễn Văn An" → "N***** V** A*": how a personal name (a registered full name) appears wherever others see it
 * when the contest sets `maskNames`. Nicknames are never masked: they are what people chose to be seen as
 * (docs/contests.md, "Names").
 */
export function maskName(fullName: string): string {
  return fullName
    .split(' ')
    .map((w) => {
      const c = [...w];
      return c.length ? c[0] + '*'.repeat(Math.max(c.length - 1, 1)) : w;
    })
    .join(' ');
}

/** Rows of the board a phone shows (its leaderboard screen, and the board under a reveal). */
const PHONE_BOARD_ROWS = 5;

export interface Views {
  /** For contestants' phones. */
  play: PhaseView;
  /** For host and screen: adds group and unit boards. */
  viewers: PhaseView;
}

/** Builds what each audience sees of the game now. Reads boards only in the phases that show them. */
export async function buildViews(
  store: Store,
  game: GameRecord,
  state: GameState,
  contest: Contest | undefined,
  now: number,
): Promise<Views> {
  const players = await store.playerCount(game.pin);
  const base = {
    pin: game.pin,
    seq: state.seq,
    title: game.title,
    roundTitle: game.roundTitle,
    index: state.index,
    total: game.questions.length,
    players,
    locked: state.locked,
    scoring: game.scoring,
  };
  switch (state.phase) {
    case 'lobby': {
      const v: PhaseView = { ...base, phase: 'lobby' };
      return { play: v, viewers: v };
    }
    case 'open': {
      const v: PhaseView = {
        ...base,
        phase: 'open',
        question: publicQuestion(game, state.index),
        deadline: deadlineOf(state),
        remainingMs: remainingMs(state, now),
        paused: state.pausedAt !== null,
        // "Get ready": the options are in the view (no second broadcast to every phone when they open), shown from opensAt.
        opensAt: state.openedAt,
        readyMs: Math.max(0, state.openedAt - now),
      };
      return { play: v, viewers: v };
    }
    case 'closed': {
      const v: PhaseView = { ...base, phase: 'closed', question: publicQuestion(game, state.index) };
      return { play: v, viewers: v };
    }
    case 'reveal': {
      const reveal = await store.getReveal(game.pin, state.index);
      if (!reveal) {
        const v: PhaseView = { ...base, phase: 'closed', question: publicQuestion(game, state.index) };
        return { play: v, viewers: v };
      }
      const viewers: PhaseView = {
        ...base,
        phase: 'reveal',
        question: publicQuestion(game, state.index),
        reveal: shownReveal(game, state.index, reveal),
      };
      // Phones get the board with the reveal, not as a leaderboard view of its own (realtime/fan-out.ts); a poll
      // moved no score, and no board follows it.
      if (game.questions[state.index]!.type === 'poll') return { play: viewers, viewers };
      const top = await leaderRows(store, game, contest, { kind: 'game' }, PHONE_BOARD_ROWS);
      return { play: { ...viewers, top }, viewers };
    }
    case 'leaderboard':
    case 'podium':
    case 'ended': {
      const [top, byGroup, byUnit] = await Promise.all([
        leaderRows(store, game, contest, { kind: 'game' }, 10),
        Promise.all(
          TARGET_GROUPS.map(
            async (g) => [g, await leaderRows(store, game, contest, { kind: 'group', group: g }, 3)] as const,
          ),
        ),
        unitRows(store, game, contest),
      ]);
      const phase = state.phase;
      const play: PhaseView = { ...base, phase, top: phase === 'podium' ? top.slice(0, 3) : top } as PhaseView;
      const groups: Partial<Record<TargetGroup, LeaderRow[]>> = {};
      for (const [g, rows] of byGroup) if (rows.length) groups[g] = rows;
      const teams = await unitBoard(store, game, contest); // reads nothing unless the round is a unit round
      const viewers = { ...play, top, byGroup: groups, byUnit, ...(teams && { unitBoard: teams }) } as PhaseView;
      return { play, viewers };
    }
  }
}

async function leaderRows(
  store: Store,
  game: GameRecord,
  contest: Contest | undefined,
  board: Parameters<Store['topOfBoard']>[1],
  limit: number,
): Promise<LeaderRow[]> {
  const entries = await store.topOfBoard(game.pin, board, limit);
  const [players, tallies] = await Promise.all([
    Promise.all(entries.map((e) => store.getPlayer(game.pin, e.playerId))),
    store.getTalliesFor(
      game.pin,
      entries.map((e) => e.playerId),
    ),
  ]);
  const unitName = (id: string | undefined) => (id ? contest?.units.find((u) => u.id === id)?.name : undefined);
  const rows: LeaderRow[] = [];
  entries.forEach((e, i) => {
    const p = players[i] as PlayerRecord | null;
    const t = tallies[i];
    if (!p || !t) return;
    // Equal board values share a rank (1, 1, 3): the order among them is not a result.
    const rank = i > 0 && e.value === entries[i - 1]!.value && rows.length ? rows.at(-1)!.rank : i + 1;
    rows.push({
      rank,
      playerId: p.id,
      nickname: p.nickname,
      group: p.group,
      ...(p.unit ? { unit: p.unit } : {}),
      ...(unitName(p.unit) ? { unitName: unitName(p.unit)! } : {}),
      score: t.score,
      correct: t.correct,
    });
  });
  return rows;
}

async function unitRows(store: Store, game: GameRecord, contest: Contest | undefined): Promise<UnitRow[]> {
  const names = new Map(contest?.units.map((u) => [u.id, u.name]));
  const sorted = (await store.unitTotals(game.pin))
    .map((u) => ({
      unit: u.unit,
      name: names.get(u.unit) ?? u.unit,
      players: u.players,
      averageScore: Math.round(u.totalScore / u.players),
    }))
    .sort((a, b) => b.averageScore - a.averageScore || b.players - a.players)
    .slice(0, 10);
  // Units equal on average and players share a rank, like players do.
  const out: UnitRow[] = [];
  sorted.forEach((u, i) => {
    const prev = sorted[i - 1];
    out.push({
      rank: prev && prev.averageScore === u.averageScore && prev.players === u.players ? out[i - 1]!.rank : i + 1,
      ...u,
    });
  });
  return out;
}
