// The certificate rules on a memory store with hand-made locks: a nickname is never printed as a name, a tampered
// lock or a deleted person does not verify, a winner's desk-recorded name wins, one code per contestant per lock.
import { describe, expect, it } from 'vitest';
import type { Contest } from '../../../protocol/contest';
import type { RankedEntry, Winner } from '../../../protocol/organiser';
import { sha256 } from '../organiser/results';
import { MemoryStore } from '../store/memory';
import { pdfText } from '../../test/pdf-check';
import { Certificates } from './certificates';
import { renderCertificates } from './render';
import { MemoryCertificateStore } from './store';

const contest = {
  id: 'c',
  title: 'Hội thi Công dân số',
  organiser: 'Sở Khoa học và Công nghệ',
  rounds: [
    { id: 'chung-ket', title: 'Chung kết' },
    { id: 'so-khao', title: 'Sơ khảo trực tuyến' },
  ],
} as unknown as Contest;

const row = (over: Partial<RankedEntry>): RankedEntry => ({
  rank: 1,
  playerId: 'p',
  nickname: 'nick',
  group: 'nguoi-dan',
  score: 0,
  correct: 0,
  answered: 0,
  totalTimeMs: 0,
  predictionError: null,
  lastAnswerAt: null,
  pin: '123456',
  tied: false,
  ...over,
});

function setup() {
  const store = new MemoryStore();
  const names = new Map<string, string>([['ct-lan', 'Lê Thị Lan']]);
  const certificates = new Certificates({
    store,
    certificates: new MemoryCertificateStore(),
    contests: new Map([['c', contest]]),
    contestsDir: '/nonexistent',
    contestantName: async (_contest, id) => names.get(id) ?? null,
    publicUrl: () => 'https://thi.example.vn/',
    // The real renderer, on this thread (the worker is the app's concern, not these rules').
    renderer: { render: renderCertificates, close: async () => {} },
  });
  const lock = async (scopeKey: string, overall: RankedEntry[], winners: Winner[] = [], tamper = false) => {
    const set = {
      scope: { kind: 'round', contestId: 'c', roundId: 'chung-ket' },
      contestId: 'c',
      title: 'Hội thi — Chung kết',
      overall,
      winners,
      lock: null,
    };
    const json = JSON.stringify(set);
    await store.organiser.indexGame({ pin: '123456', contestId: 'c', roundId: 'chung-ket', createdAt: 1 } as never);
    await store.organiser.lock({
      scopeKey,
      json: tamper ? json.replace('"correct":0', '"correct":9') : json,
      sha256: sha256(json),
      at: Date.parse('2026-10-10T10:00:00+07:00'),
      by: 'organiser:admin',
      pins: ['123456'],
    });
  };
  return { store, names, certificates, lock };
}

const codeIn = (text: string) => text.match(/\b([A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3})\b/)?.[1]?.replace(/-/g, '');

describe(Certificates.name, () => {
  it('never prints a nickname: a live player without a registered or desk-recorded name gets no certificate', async () => {
    const { certificates, store, lock } = setup();
    await lock(
      'round:c:chung-ket',
      [row({ playerId: 'p1', nickname: 'SieuNhan99' })],
      [
        {
          scope: 'individual',
          tier: 'nhat',
          label: 'Giải Nhất',
          rank: 1,
          pin: '123456',
          playerId: 'p1',
          nickname: 'SieuNhan99',
        },
      ],
    );
    await store.organiser.addClaims([
      {
        code: 'ABCDEFGH',
        label: 'Giải Nhất',
        scope: 'individual',
        scopeKey: 'round:c:chung-ket',
        pin: '123456',
        playerId: 'p1',
        nickname: 'SieuNhan99',
        tier: 'nhat',
        rank: 1,
        issuedAt: 1,
        claimed: null,
      },
    ]);
    await expect(certificates.forClaim('ABCDEFGH')).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_READY' });
    await store.organiser.completeClaim('ABCDEFGH', {
      at: 2,
      by: 'desk',
      fullName: 'Đặng Văn Hùng',
      phone: '0912345678',
      idNumber: '0310',
    });
    const { pdf } = await certificates.forClaim('ABCDEFGH');
    const text = pdfText(pdf);
    expect(text).toContain('Đặng Văn Hùng');
    expect(text).not.toContain('SieuNhan99');
    expect(text).toContain('Vòng Chung kết');
    await expect(certificates.forClaim('ZZZZZZZZ')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('verifies a certificate against its lock; a tampered locked copy or a deleted person is not valid', async () => {
    const { certificates, names, lock } = setup();
    const lan = row({ playerId: 'ct-lan', contestantId: 'ct-lan', correct: 7, score: 9100 });
    await lock('round:c:chung-ket', [lan]);
    const first = pdfText((await certificates.roundPdf('c', 'chung-ket')).pdf);
    const code = codeIn(first)!;
    expect(first).toContain('Lê Thị Lan');
    expect(first).toContain('7 câu đúng · 9.100 điểm');
    const ok = await certificates.verify(code);
    expect(ok.valid).toBe(true);
    expect(ok.facts).toMatchObject({ fullName: 'Lê Thị Lan', kind: 'participation', roundTitle: 'Vòng Chung kết' });
    // Drawn again: the same code.
    expect(codeIn(pdfText((await certificates.roundPdf('c', 'chung-ket')).pdf))).toBe(code);

    names.delete('ct-lan');
    const erased = await certificates.verify(code);
    expect(erased.valid).toBe(false);
    expect(erased.facts.fullName).toBe('(đã xóa theo yêu cầu)');
    await expect(certificates.verify('ABCDEFGHJKLMNPQR')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a locked copy that no longer hashes to its SHA-256 does not verify', async () => {
    const { certificates, lock } = setup();
    await lock('round:c:chung-ket', [row({ playerId: 'ct-lan', contestantId: 'ct-lan' })], [], true);
    const code = codeIn(pdfText((await certificates.roundPdf('c', 'chung-ket')).pdf))!;
    expect((await certificates.verify(code)).valid).toBe(false);
  });
});
