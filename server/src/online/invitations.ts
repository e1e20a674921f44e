// Qualifiers and invitations: from an online round's locked results, the top K overall and/or per target group
// (`online.qualifiers`) get an invitation code; a live round with `entry: invited` admits only players who type one,
// binds each player to the contestant (one person, one record across rounds) and admits each code once.
// Keys (OnlineStore values): `inv:<roundId>:<contestantId>` → code (set once: issuing twice gives the same codes),
// `inv:<roundId>` → the round's list; `invitations` (code → JSON) and `invitation-uses` (code → `pin:playerId`).
import { randomInt } from 'node:crypto';
import type { Contest } from '../../../protocol/contest';
import type { Invitation } from '../../../protocol/online';
import type { ResultSet } from '../../../protocol/organiser';
import { GameError } from '../errors';
import { CODE_ALPHABET, normaliseCode } from './contestant-code';
import type { OnlineStore } from './store';

const INVITATION_LENGTH = 8;
const newInvitationCode = () =>
  Array.from({ length: INVITATION_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
const codeKey = (roundId: string, contestantId: string) => `inv:${roundId}:${contestantId}`;
const listKey = (roundId: string) => `inv:${roundId}`;

/** A live game as the join hook sees it. */
export interface JoiningGame {
  pin: string;
  contestId: string;
  roundId: string;
}

/** Who an invitation admitted, and how to undo the binding if the join then fails (nickname taken, game over). */
export interface Admission {
  contestantId: string;
  group: Invitation['group'];
  unit: string;
  release(): Promise<void>;
}

export class Invitations {
  constructor(
    private readonly deps: {
      store: OnlineStore;
      contests: Map<string, Contest>;
      /** The round's locked result set (null when not locked): organiser/results.ts, wired in app.ts. */
      lockedRound: (contestId: string, roundId: string) => Promise<ResultSet | null>;
    },
  ) {}

  private qualifying(contestId: string, roundId: string) {
    const contest = this.deps.contests.get(contestId);
    const round = contest?.rounds.find((r) => r.id === roundId);
    if (!contest || !round?.online)
      throw new GameError('CONTEST_NOT_FOUND', `no online round '${roundId}' in '${contestId}'`);
    if (!round.online.qualifiers)
      throw new GameError('BAD_REQUEST', `round '${roundId}' names no qualifiers (online.qualifiers)`);
    return { contest, qualifiers: round.online.qualifiers };
  }

  /** Issues (or, issued already, returns again) the codes of the round's qualifiers, from its locked results. */
  async issue(contestId: string, roundId: string): Promise<Invitation[]> {
    const { store } = this.deps;
    const { qualifiers } = this.qualifying(contestId, roundId);
    const set = await this.deps.lockedRound(contestId, roundId);
    if (!set?.lock)
      throw new GameError(
        'WRONG_PHASE',
        `lock the results of round '${roundId}' first: qualifiers come from locked results`,
      );
    const picked = new Map<string, { e: ResultSet['overall'][number]; via: Invitation['via'] }>();
    // Everyone tied at the cut qualifies: the rules cannot separate them, and nobody is dropped silently.
    if (qualifiers.overall)
      for (const e of set.overall)
        if (e.contestantId && e.rank <= qualifiers.overall) picked.set(e.contestantId, { e, via: 'overall' });
    if (qualifiers.perGroup)
      for (const g of set.byGroup)
        for (const e of g.entries)
          if (e.contestantId && e.rank <= qualifiers.perGroup && !picked.has(e.contestantId))
            picked.set(e.contestantId, { e, via: 'group' });
    const issuedAt = await store.now();
    const list: Invitation[] = [];
    for (const [contestantId, { e, via }] of picked) {
      const code = await store.setOnce(contestId, codeKey(roundId, contestantId), newInvitationCode());
      list.push({
        code,
        contestId,
        roundId,
        contestantId,
        fullName: e.nickname,
        group: e.group,
        unit: e.unit ?? '',
        via,
        rank: e.rank,
        issuedAt,
      });
    }
    await store.addInvitations(
      contestId,
      list.map((i) => ({ code: i.code, json: JSON.stringify(i) })),
    );
    // The earlier list's issue times stay: a code issued once keeps its record.
    const earlier = new Map((await this.list(contestId, roundId)).map((i) => [i.code, i]));
    const merged = list.map((i) => earlier.get(i.code) ?? i);
    await store.setValue(contestId, listKey(roundId), JSON.stringify(merged));
    return merged;
  }

  async list(contestId: string, roundId: string): Promise<Invitation[]> {
    this.qualifying(contestId, roundId);
    const json = await this.deps.store.getValue(contestId, listKey(roundId));
    return json ? (JSON.parse(json) as Invitation[]) : [];
  }

  /**
   * The join hook of live games: null when the round is open to anyone; else the contestant the code admits, the
   * code now bound to this player. No code or an unknown one: INVITATION_REQUIRED; used by another player: INVITATION_USED.
   */
  async admit(game: JoiningGame, code: string | undefined, playerId: string): Promise<Admission | null> {
    const round = this.deps.contests.get(game.contestId)?.rounds.find((r) => r.id === game.roundId);
    if (round?.entry !== 'invited') return null;
    const { store } = this.deps;
    const normalised = code ? normaliseCode(code) : '';
    const json = normalised ? await store.getInvitation(game.contestId, normalised) : null;
    if (!json)
      throw new GameError(
        'INVITATION_REQUIRED',
        'this round is open to invited contestants only: type your invitation code',
      );
    const invitation = JSON.parse(json) as Invitation;
    const use = `${game.pin}:${playerId}`;
    const bound = await store.useInvitation(game.contestId, normalised, use);
    if (!bound.ok) throw new GameError('INVITATION_USED', 'this invitation code was already used to join');
    return {
      contestantId: invitation.contestantId,
      group: invitation.group,
      unit: invitation.unit,
      release: () => store.releaseInvitation(game.contestId, normalised, use),
    };
  }
}

/** A contestant's invitations (the `me` route): one read per round with qualifiers. */
export async function invitationsOf(store: OnlineStore, contest: Contest, contestantId: string): Promise<Invitation[]> {
  const out: Invitation[] = [];
  for (const r of contest.rounds) {
    if (!r.online?.qualifiers) continue;
    const code = await store.getValue(contest.id, codeKey(r.id, contestantId));
    const json = code ? await store.getInvitation(contest.id, code) : null;
    if (json) out.push(JSON.parse(json) as Invitation);
  }
  return out;
}
