import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ClaimNotice } from '../../../protocol/events';
import { onlinePin, type Claim, type ResultSet } from '../../../protocol/organiser';
import { checkNickname } from '../game/nickname';
import { GameError } from '../errors';
import type { Store } from '../store/store';
import type { AuditLog } from './audit';

/** No I, O, 0 or 1: nothing to misread when a winner shows the phone across a desk. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const newClaimCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

const notice = (c: Claim): ClaimNotice => ({ code: c.code, label: c.label, scope: c.scope });

/**
 * Winners' claims and personal-data deletion. Claims are issued when results are locked, one per individual or
 * group prize; the winner's phone shows the code; the desk enters it and only then records name, phone and ID
 * number — personal data is collected from winners alone, and never written to the audit log.
 */
export class ClaimDesk extends EventEmitter<{
  /** A claim was issued: the realtime layer pushes it to the winner's phone, wherever it is connected. */
  issued: [pin: string, playerId: string, notice: ClaimNotice];
}> {
  /** `forgetName`: removes an erased nickname from what else carried it (the socket.io stream in Redis mode). */
  constructor(
    private readonly deps: { store: Store; audit: AuditLog; forgetName?: (nickname: string) => Promise<void> },
  ) {
    super();
  }

  /**
   * Claims for the prizes a locked set names. A contest's prizes are issued once: several locks may name them
   * (the final's round, then the whole contest), so a place is issued again only to nobody, a person never
   * twice for the same place, nor (one prize per person) for a second place of the same prize set, and no place
   * beyond its count. A person may hold one prize of each set (e.g. the online round's and the final's).
   */
  async issue(set: ResultSet & { lock: NonNullable<ResultSet['lock']> }, scopeKey: string): Promise<Claim[]> {
    const earlier = await this.contestClaims(set.contestId);
    const place = (w: { scope: string; group?: string; tier: string }) => `${w.scope}|${w.group ?? ''}|${w.tier}`;
    const person = (w: { pin?: string; playerId?: string }) => `${w.pin}:${w.playerId}`;
    // One prize per person counts within the winner's prize set (absent: the contest has only one).
    const holder = (w: { pin?: string; playerId?: string; rounds?: string[] }) =>
      `${w.rounds?.join(',') ?? ''}|${person(w)}`;
    const room = new Map<string, number>();
    for (const w of set.winners) room.set(place(w), (room.get(place(w)) ?? 0) + 1);
    for (const c of earlier) room.set(place(c), (room.get(place(c)) ?? 0) - 1);
    const holders = new Set(earlier.map(holder));
    const onePerPerson = set.prizeScope?.onePerPerson ?? true;
    const fresh = set.winners.filter((w) => {
      if (w.scope === 'collective' || !w.pin || !w.playerId) return false;
      if (earlier.some((c) => place(c) === place(w) && person(c) === person(w))) return false;
      if ((onePerPerson && holders.has(holder(w))) || (room.get(place(w)) ?? 0) <= 0) return false;
      room.set(place(w), room.get(place(w))! - 1);
      holders.add(holder(w));
      return true;
    });
    const claims: Claim[] = fresh.map((w) => ({
      code: newClaimCode(),
      label: w.label,
      scope: w.scope as 'individual' | 'group',
      scopeKey,
      pin: w.pin!,
      playerId: w.playerId!,
      nickname: w.nickname ?? '',
      tier: w.tier,
      ...(w.group ? { group: w.group } : {}),
      rank: w.rank,
      ...(w.rounds ? { rounds: w.rounds } : {}),
      issuedAt: set.lock.at,
      claimed: null,
    }));
    await this.deps.store.organiser.addClaims(claims);
    for (const c of claims) this.emit('issued', c.pin, c.playerId, notice(c));
    return claims;
  }

  /** Claims already issued for a contest's prizes, by any lock. */
  private async contestClaims(contestId: string): Promise<Claim[]> {
    const pins = new Set((await this.deps.store.organiser.listGames(contestId)).map((g) => g.pin));
    // Online rounds' rows carry `online:<contestId>:<roundId>` where a game's PIN stands.
    return (await this.deps.store.organiser.listClaims()).filter(
      (c) => pins.has(c.pin) || c.pin.startsWith(onlinePin(contestId, '')),
    );
  }

  async noticesFor(pin: string, playerId: string): Promise<ClaimNotice[]> {
    return (await this.deps.store.organiser.claimsOf(pin, playerId)).map(notice);
  }

  list(scopeKey?: string) {
    return this.deps.store.organiser.listClaims(scopeKey);
  }

  /** The desk typed a code: what prize, for which nickname, and whether it was already claimed (no personal data). */
  async lookup(code: string, actor: string, ip: string | null) {
    const claim = await this.deps.store.organiser.getClaim(code);
    await this.deps.audit.record({
      actor,
      action: 'claim.lookup',
      ip,
      ...(claim ? { pin: claim.pin } : {}),
      outcome: claim ? 'ok' : 'NOT_FOUND',
      detail: { code },
    });
    if (!claim) throw new GameError('NOT_FOUND', 'no prize has this claim code');
    return { ...claim, claimed: claim.claimed ? { at: claim.claimed.at, by: claim.claimed.by } : null };
  }

  async complete(
    code: string,
    person: { fullName: string; phone: string; idNumber: string },
    actor: string,
    ip: string | null,
  ) {
    const { store, audit } = this.deps;
    const claim = await store.organiser.getClaim(code);
    if (!claim) throw new GameError('NOT_FOUND', 'no prize has this claim code');
    const ok = await store.organiser.completeClaim(code, { at: await store.now(), by: actor, ...person });
    await audit.record({
      actor,
      action: 'claim.completed',
      ip,
      pin: claim.pin,
      outcome: ok ? 'ok' : 'CONFLICT',
      detail: { code, playerId: claim.playerId, tier: claim.tier },
    });
    if (!ok) throw new GameError('CONFLICT', 'this prize was already claimed');
    return (await store.organiser.getClaim(code))!;
  }

  /**
   * Deletes a contestant's personal data on request — a kicked contestant's too, and in the archive of a game whose
   * live keys expired. The name, phone and ID number the desk collected are always erased. The nickname is replaced
   * too, unless the game's results are locked: locked results never change, so that part is refused and logged
   * (`RESULTS_LOCKED`) and the answer says `nicknameKept`. Scores, group and unit stay either way, so statistics
   * do not change. The old nickname is removed from the socket.io stream too (`forgetName`).
   */
  async deletePersonalData(
    pin: string,
    playerId: string,
    actor: string,
    ip: string | null,
  ): Promise<{ nickname: string; nicknameKept: boolean; claimsErased: number }> {
    const { store, audit } = this.deps;
    const [live, archive] = await Promise.all([store.getGame(pin), store.organiser.getArchive(pin)]);
    if (!live && !archive) throw new GameError('GAME_NOT_FOUND', `no game ${pin}`);
    const player = live
      ? ((await store.getPlayer(pin, playerId)) ??
        (await store.getKickedPlayers(pin)).find((p) => p.id === playerId) ??
        null)
      : null;
    const archived = archive?.rows.find((r) => r.playerId === playerId);
    if (!player && !archived) throw new GameError('BAD_REQUEST', 'no such player');
    const at = await store.now();
    let claimsErased = 0;
    for (const c of await store.organiser.claimsOf(pin, playerId)) {
      if (!c.claimed || 'erased' in c.claimed) continue;
      await store.organiser.eraseClaim(c.code, { at, by: actor, erased: true });
      claimsErased++;
    }
    const locked = await store.organiser.isGameLocked(pin);
    const before = player?.nickname ?? archived!.nickname;
    let nickname = before;
    if (!locked) {
      nickname = `Đã xóa (${playerId.slice(0, 6)})`;
      if (player) {
        const key = checkNickname(player.nickname);
        await store.anonymisePlayer(pin, playerId, nickname, key.ok ? key.key : '');
      }
      if (archived) await store.organiser.eraseArchivedName(pin, playerId, nickname);
      if (before !== nickname) await this.deps.forgetName?.(before);
    }
    await audit.record({
      actor,
      action: 'personal-data.deleted',
      ip,
      pin,
      outcome: locked ? 'RESULTS_LOCKED' : 'ok',
      detail: { playerId, claimsErased, nicknameKept: locked },
    });
    return { nickname, nicknameKept: locked, claimsErased };
  }
}
