import { CheckedContest, type Contest } from '../../../protocol/contest';
import type { Logger } from 'pino';
import type { OrganiserRecords } from '../store/records';

export type ContestSource = 'bundled' | 'uploaded';

/**
 * Every contest this node knows: the bundled ones from CONTESTS_DIR (read at start-up) and the ones organisers
 * uploaded as spreadsheets, kept in the store so that every node sees them. `all` is the one Map the rest of the
 * server holds: a refresh updates it in place.
 */
export class ContestRegistry {
  readonly all: Map<string, Contest>;
  private readonly bundled: ReadonlySet<string>;
  private readonly uploads = new Map<string, { uploadedAt: number; uploadedBy: string }>();
  private version = -1;

  constructor(
    bundled: Map<string, Contest>,
    private readonly records: OrganiserRecords,
    private readonly log?: Pick<Logger, 'error'>,
  ) {
    this.all = new Map(bundled);
    this.bundled = new Set(bundled.keys());
  }

  source(id: string): ContestSource | null {
    return this.bundled.has(id) ? 'bundled' : this.uploads.has(id) ? 'uploaded' : null;
  }
  uploadInfo(id: string) {
    return this.uploads.get(id);
  }

  /** Reads the uploaded contests again if any node saved one since the last read (one GET when none did). */
  async refresh(): Promise<void> {
    const version = await this.records.contestsVersion();
    if (version === this.version) return;
    const stored = await this.records.listContests();
    const idOf = (c: unknown) => (c as { id?: unknown })?.id;
    // Uploads deleted on any node leave this node's map too.
    const ids = new Set(stored.map((s) => idOf(s.contest)));
    for (const id of [...this.uploads.keys()])
      if (!ids.has(id)) {
        this.uploads.delete(id);
        this.all.delete(id);
      }
    for (const entry of stored) {
      const parsed = CheckedContest.safeParse(entry.contest);
      const id = idOf(entry.contest);
      if (!parsed.success || this.bundled.has(parsed.data.id)) {
        // A contest saved by an older version whose schema has changed since: skip it, loudly.
        this.log?.error(
          { id, issues: parsed.success ? 'id of a bundled contest' : parsed.error.issues.slice(0, 3) },
          'stored contest skipped',
        );
        continue;
      }
      this.all.set(parsed.data.id, parsed.data);
      this.uploads.set(parsed.data.id, { uploadedAt: entry.uploadedAt, uploadedBy: entry.uploadedBy });
    }
    this.version = version;
  }

  /**
   * Saves an uploaded contest — already checked (`importContestWorkbook` parses with `CheckedContest`) — for every
   * node. Refused (nothing saved) for the id of a bundled contest, changed in CONTESTS_DIR instead, and for
   * questions with images. Resolves to whether it replaced an earlier upload.
   */
  async upload(
    contest: Contest,
    by: string,
    at: number,
  ): Promise<{ ok: true; replaced: boolean } | { ok: false; message: string }> {
    if (this.bundled.has(contest.id))
      return {
        ok: false,
        message: `"${contest.id}" là cuộc thi có sẵn trong thư mục contests/ của máy chủ: hãy đặt mã (id) khác`,
      };
    const images = contest.questions.filter((q) => q.image).map((q) => q.id);
    if (images.length)
      return {
        ok: false,
        message: `câu hỏi có ảnh chưa tải lên qua web được (${images.join(', ')}): dùng npm run contest -- import trên máy chủ`,
      };
    await this.refresh();
    const replaced = this.uploads.has(contest.id);
    await this.records.saveContest(contest.id, { contest, uploadedAt: at, uploadedBy: by });
    await this.refresh();
    return { ok: true, replaced };
  }

  /** Removes an uploaded contest for every node. Bundled contests cannot be removed here. */
  async remove(id: string): Promise<boolean> {
    if (this.bundled.has(id)) return false;
    const removed = await this.records.deleteContest(id);
    await this.refresh();
    return removed;
  }
}
