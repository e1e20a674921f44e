// Certificates of participation and award, made from locked results only: the locked set says who took part and who
// won, its SHA-256 is what the verification page checks, and names come from where they were registered (the
// online registration, or the prize desk for a live winner), never from a nickname.
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CertificateTemplate,
  type CertificateFacts,
  type CertificateVerification,
} from '../../../protocol/certificates';
import { TARGET_GROUP_LABELS_VI, type Contest } from '../../../protocol/contest';
import type { RankedEntry, ResultSet } from '../../../protocol/organiser';
import { onlinePin } from '../../../protocol/organiser';
import { checkCertificateTemplate } from '../contests/certificate-template';
import { GameError } from '../errors';
import { parseInSlices, sha256InSlices } from '../organiser/result-json';
import type { StoredLock } from '../store/records';
import type { Store } from '../store/store';
import type { CertificatePage, RenderTemplate } from './render';
import type { CertificateRenderer } from './renderer';
import { subjectOf, type CertificateRecord, type CertificateStore } from './store';

/** No I, O, 0 or 1; 16 of 32 letters: 80 random bits, beyond guessing even without the rate limit. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const newCertificateCode = () => Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export interface CertificatesDeps {
  /** The organisers' records: locks, claims, the games index. */
  store: Store;
  certificates: CertificateStore;
  contests: Map<string, Contest>;
  /** Where bundled contests' folders are (certificate.yaml and its images); uploaded contests use the defaults. */
  contestsDir: string;
  /** A registered contestant's full name (the online registration), null once deleted or unknown. */
  contestantName(contestId: string, contestantId: string): Promise<string | null>;
  /** The address phones reach the server at: the QR code leads to `<publicUrl>/xac-minh/<code>`. */
  publicUrl(): string;
  renderer: CertificateRenderer;
}

/** A certificate ready to draw or to verify. */
interface Subject {
  row: RankedEntry;
  facts: Omit<CertificateFacts, 'code'>;
}

export interface CertificateFile {
  filename: string;
  pdf: Buffer;
}

const roundScope = (contestId: string, roundId: string) => `round:${contestId}:${roundId}`;
/** "Nguyễn Thị Ánh" → "nguyen-thi-anh": file names every unzip tool reads. */
const asciiSlug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'thi-sinh';
const fileName = (facts: Pick<CertificateFacts, 'fullName' | 'code'>) =>
  `giay-chung-nhan-${asciiSlug(facts.fullName)}-${facts.code.slice(0, 4).toLowerCase()}.pdf`;
const vnNumber = (n: number) => new Intl.NumberFormat('vi-VN').format(n);
/** A contest without certificate.yaml: the schema's defaults (title, lines, colour), no logo, no signature. */
const CERTIFICATE_DEFAULTS = CertificateTemplate.parse({});

/** A stored lock as the result set it froze, parsed in slices (a 200,000-contestant round is ~100 MB of JSON). */
async function lockedResultSet(stored: StoredLock): Promise<ResultSet & { lock: NonNullable<ResultSet['lock']> }> {
  const set = (await parseInSlices(stored.json)) as ResultSet;
  return { ...set, lock: { at: stored.at, by: stored.by, sha256: stored.sha256 } };
}

export class Certificates {
  private readonly templates = new Map<string, Promise<RenderTemplate>>();

  constructor(private readonly deps: CertificatesDeps) {}

  /** An online contestant's certificate for one round, once the round's results are locked. */
  async forContestant(contestId: string, roundId: string, contestantId: string): Promise<CertificateFile> {
    const scopeKey = roundScope(contestId, roundId);
    const set = await this.lockedSet(scopeKey, 'the round’s results are not locked yet');
    const row = set.overall.find((r) => r.pin === onlinePin(contestId, roundId) && r.playerId === contestantId);
    if (!row) throw new GameError('NOT_FOUND', 'no result of yours in this round');
    return this.one(scopeKey, set, row);
  }

  /** A live winner's award certificate, by the claim code their phone shows, once the desk has recorded their name. */
  async forClaim(code: string): Promise<CertificateFile> {
    const claim = await this.deps.store.organiser.getClaim(code);
    if (!claim) throw new GameError('NOT_FOUND', 'no prize has this claim code');
    if (!claim.claimed || 'erased' in claim.claimed)
      throw new GameError('CERTIFICATE_NOT_READY', 'collect the prize at the desk first: it records your full name');
    const set = await this.lockedSet(claim.scopeKey, 'results not locked');
    const row = set.overall.find((r) => r.pin === claim.pin && r.playerId === claim.playerId);
    if (!row) throw new GameError('NOT_FOUND', 'no result for this claim');
    return this.one(claim.scopeKey, set, row);
  }

  /**
   * Every certificate of a locked round: each contestant with a registered name (online contestants, invited
   * finalists) or a winner whose name the desk recorded. Players known only by a nickname get none.
   */
  async roundFiles(
    contestId: string,
    roundId: string,
  ): Promise<{ count: number; files: AsyncIterable<CertificateFile> }> {
    const scopeKey = roundScope(contestId, roundId);
    const set = await this.lockedSet(scopeKey, 'lock the round’s results first');
    const pages = await this.pages(scopeKey, set, set.overall);
    if (!pages.length) throw new GameError('NOT_FOUND', 'nobody in this round has a registered name');
    const { renderer } = this.deps;
    // One PDF per certificate, drawn one after another in the worker, yielded as each is done.
    async function* files() {
      for (const p of pages) yield { filename: fileName(p.facts), pdf: await renderer.render([p]) };
    }
    return { count: pages.length, files: files() };
  }

  /** The same as one multi-page PDF (fonts embedded once: far smaller and quicker than the ZIP). */
  async roundPdf(contestId: string, roundId: string): Promise<{ count: number; pdf: Buffer }> {
    const scopeKey = roundScope(contestId, roundId);
    const set = await this.lockedSet(scopeKey, 'lock the round’s results first');
    const pages = await this.pages(scopeKey, set, set.overall);
    if (!pages.length) throw new GameError('NOT_FOUND', 'nobody in this round has a registered name');
    return { count: pages.length, pdf: await this.deps.renderer.render(pages) };
  }

  /**
   * What the public page shows for a code: the certificate's facts, checked again against the locked set. A big
   * round's set (~100 MB of JSON at 200,000 contestants) is parsed and hashed in slices: no stall, ~1.5 CPU-s.
   */
  async verify(code: string): Promise<CertificateVerification> {
    const record = await this.deps.certificates.get(code);
    if (!record) throw new GameError('NOT_FOUND', 'no certificate has this code');
    const stored = await this.deps.store.organiser.getLock(record.scopeKey);
    if (!stored) throw new GameError('NOT_FOUND', 'no certificate has this code');
    const set = await lockedResultSet(stored);
    const row = set.overall.find((r) => r.pin === record.pin && r.playerId === record.playerId);
    const subject = row ? await this.subject(set, row, await this.claimNames()) : null;
    const intact = (await sha256InSlices(stored.json)) === stored.sha256 && stored.sha256 === record.lockSha256;
    const contest = this.deps.contests.get(set.contestId);
    const facts: CertificateFacts = subject
      ? { code, ...subject.facts }
      : {
          // The holder's personal data was deleted on request: the certificate existed, the name is gone.
          code,
          kind: 'participation',
          fullName: '(đã xóa theo yêu cầu)',
          contestTitle: contest?.title ?? set.title,
          roundTitle: set.title,
          prize: null,
          result: '',
          organiser: contest?.organiser ?? '',
          lockedAt: stored.at,
        };
    return {
      facts,
      lock: { scope: record.scopeKey, sha256: stored.sha256, at: stored.at },
      valid: intact && !!subject,
    };
  }

  // ------------------------------------------------------------------ internals

  private async lockedSet(
    scopeKey: string,
    why: string,
  ): Promise<ResultSet & { lock: NonNullable<ResultSet['lock']> }> {
    const stored = await this.deps.store.organiser.getLock(scopeKey);
    if (!stored) throw new GameError('CERTIFICATE_NOT_READY', why);
    return lockedResultSet(stored);
  }

  /** Names the prize desk recorded, by `pin:playerId` (erased ones left out). */
  private async claimNames(): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const c of await this.deps.store.organiser.listClaims())
      if (c.claimed && !('erased' in c.claimed)) names.set(`${c.pin}:${c.playerId}`, c.claimed.fullName);
    return names;
  }

  /** The facts of one row of a locked set, or null when the row has no registered name. */
  private async subject(set: ResultSet, row: RankedEntry, claimNames: Map<string, string>): Promise<Subject | null> {
    const contest = this.deps.contests.get(set.contestId);
    const fullName =
      claimNames.get(`${row.pin}:${row.playerId}`) ??
      (row.contestantId ? await this.deps.contestantName(set.contestId, row.contestantId) : null);
    if (!fullName || !set.lock) return null;
    const winner = set.winners.find(
      (w) => w.scope !== 'collective' && w.pin === row.pin && w.playerId === row.playerId,
    );
    const online = row.pin.startsWith('online:');
    const roundId = online ? row.pin.split(':')[2] : await this.roundOfGame(set.contestId, row.pin);
    const round = contest?.rounds.find((r) => r.id === roundId);
    return {
      row,
      facts: {
        kind: winner ? 'award' : 'participation',
        fullName,
        contestTitle: contest?.title ?? set.title,
        roundTitle: round ? (/^vòng\b/iu.test(round.title) ? round.title : `Vòng ${round.title}`) : set.title,
        prize: winner
          ? winner.scope === 'group' && winner.group
            ? `${winner.label} · ${TARGET_GROUP_LABELS_VI[winner.group]}`
            : winner.label
          : null,
        result: online ? `Trả lời đúng ${row.correct} câu` : `${row.correct} câu đúng · ${vnNumber(row.score)} điểm`,
        organiser: contest?.organiser ?? '',
        lockedAt: set.lock.at,
      },
    };
  }

  /** Each contest's games index (PIN → round), read at most every 5 s: a round's certificates ask once per row. */
  private readonly gameRounds = new Map<string, { at: number; map: Map<string, string> }>();
  private async roundOfGame(contestId: string, pin: string): Promise<string | undefined> {
    let hit = this.gameRounds.get(contestId);
    if (!hit || Date.now() - hit.at > 5000) {
      const games = await this.deps.store.organiser.listGames(contestId);
      hit = { at: Date.now(), map: new Map(games.map((g) => [g.pin, g.roundId])) };
      this.gameRounds.set(contestId, hit);
    }
    return hit.map.get(pin);
  }

  /** Codes for these subjects: the stored ones, and new ones issued (once, atomically) for the rest. */
  private async codes(scopeKey: string, lockSha256: string, at: number, rows: RankedEntry[]): Promise<string[]> {
    const { certificates } = this.deps;
    const subjects = rows.map((r) => subjectOf({ scopeKey, pin: r.pin, playerId: r.playerId }));
    const have = await certificates.bySubject(subjects);
    const missing: CertificateRecord[] = [];
    rows.forEach((r, i) => {
      if (!have[i])
        missing.push({
          code: newCertificateCode(),
          scopeKey,
          pin: r.pin,
          playerId: r.playerId,
          lockSha256,
          issuedAt: at,
        });
    });
    const issued = new Map((await certificates.issue(missing)).map((r) => [subjectOf(r), r.code]));
    return subjects.map((s, i) => have[i]?.code ?? issued.get(s)!);
  }

  private async pages(
    scopeKey: string,
    set: ResultSet & { lock: NonNullable<ResultSet['lock']> },
    rows: RankedEntry[],
  ) {
    const claimNames = await this.claimNames();
    const subjects: Subject[] = [];
    for (const row of rows) {
      const s = await this.subject(set, row, claimNames);
      if (s) subjects.push(s);
    }
    const codes = await this.codes(
      scopeKey,
      set.lock.sha256,
      set.lock.at,
      subjects.map((s) => s.row),
    );
    const contest = this.deps.contests.get(set.contestId);
    const template = await this.template(set.contestId, contest);
    const base = this.deps.publicUrl().replace(/\/+$/, '');
    return subjects.map((s, i): CertificatePage => ({
      facts: { code: codes[i]!, ...s.facts },
      template,
      verifyUrl: `${base}/xac-minh/${codes[i]}`,
    }));
  }

  private async one(
    scopeKey: string,
    set: ResultSet & { lock: NonNullable<ResultSet['lock']> },
    row: RankedEntry,
  ): Promise<CertificateFile> {
    const [page] = await this.pages(scopeKey, set, [row]);
    if (!page)
      throw new GameError(
        'CERTIFICATE_NOT_READY',
        'no registered full name: a nickname is not printed on a certificate',
      );
    return { filename: fileName(page.facts), pdf: await this.deps.renderer.render([page]) };
  }

  /** The contest's certificate.yaml (checked at start-up) with its images read, or the defaults. */
  private template(contestId: string, contest: Contest | undefined): Promise<RenderTemplate> {
    let t = this.templates.get(contestId);
    if (!t) {
      t = this.loadTemplate(contestId, contest);
      this.templates.set(contestId, t);
      t.catch(() => this.templates.delete(contestId));
    }
    return t;
  }

  private async loadTemplate(contestId: string, contest: Contest | undefined): Promise<RenderTemplate> {
    const dir = path.join(this.deps.contestsDir, contestId);
    const checked = await checkCertificateTemplate(dir);
    if (!checked.ok)
      throw new Error(
        `certificate.yaml of ${contestId}: ${checked.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      );
    const { logo, signatures, ...texts } = checked.template ?? CERTIFICATE_DEFAULTS;
    const image = async (src?: string) => (src ? new Uint8Array(await readFile(path.join(dir, src))) : undefined);
    return {
      ...texts,
      organiser: texts.organiser ?? contest?.organiser ?? '',
      ...(logo ? { logo: await image(logo) } : {}),
      signatures: await Promise.all(
        signatures.map(async ({ image: src, ...s }) => ({ ...s, ...(src ? { image: await image(src) } : {}) })),
      ),
    };
  }
}
