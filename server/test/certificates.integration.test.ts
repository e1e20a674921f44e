// Certificates end to end over HTTP, on both stores: an online round is played and locked; each contestant downloads
// their own PDF, a winner theirs by claim code once the desk has their name, organisers the whole round as ZIP and
// as one PDF; the code in each PDF verifies against the locked set; forged codes are refused and rate-limited.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CertificateVerification } from '../../protocol/certificates';
import type { AttemptView, Registered } from '../../protocol/online';
import type { Claim, ResultSet } from '../../protocol/organiser';
import { login } from './clients';
import { pdfInfo, pdfText } from './pdf-check';
import { testServers, type Mode } from './servers';

const server = testServers('certificates', 'server/test/certificate-contests');
const CONTEST = 'thi-cert';
const MIN = 60_000;
const pastFinal = () => Date.parse('2099-12-31T23:59+07:00') - Date.now() + 11 * MIN;

type Body<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

let phoneSeq = 200;
async function play(url: string, name: string, group: string, q1: string, q2: 'Đúng' | 'Sai' = 'Đúng') {
  const call = async <T>(method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${url}/api/online/${CONTEST}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Body<T>;
    if (!json.ok) throw new Error(`${method} ${path}: ${json.error.code}`);
    return json.data;
  };
  const reg = await call<Registered>('POST', '/register', undefined, {
    fullName: name,
    phone: `0912 345 ${phoneSeq++}`,
    group,
    unit: 'don-vi-a',
    consent: true,
  });
  const attempt = await call<AttemptView>('POST', '/rounds/vong-loai/attempts', reg.token);
  const q = attempt.questions.find((x) => x.id === 'q1')!;
  await call('PUT', `/attempts/${attempt.id}/answers`, reg.token, { questionId: 'q1', choice: q.options!.indexOf(q1) });
  await call('PUT', `/attempts/${attempt.id}/answers`, reg.token, {
    questionId: 'q2',
    choice: attempt.questions.find((x) => x.id === 'q2')!.options!.indexOf(q2),
  });
  await call('POST', `/attempts/${attempt.id}/submit`, reg.token);
  await call('GET', `/attempts/${attempt.id}/result`, reg.token);
  return { token: reg.token, id: reg.contestant.id, name };
}

const codeIn = (text: string) => text.match(/\b([A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3})\b/)?.[1]?.replace(/-/g, '');

describe.each<Mode>(['memory', 'redis'])('certificates (%s store)', (mode) => {
  it('contestants, winners and organisers download certificates that verify against the locked results', async () => {
    const s = await server(mode, { publicUrl: 'https://thi.example.vn' });
    const organiser = await login(s.url, s.organiserPassword);
    const org = (method: string, path: string, body?: unknown, token: string | null = organiser) =>
      fetch(`${s.url}/api${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const mine = (who: { token: string }) =>
      fetch(`${s.url}/api/certificates/online/${CONTEST}/vong-loai`, {
        headers: { authorization: `Bearer ${who.token}` },
      });

    const anh = await play(s.url, 'Nguyễn Thị Ngọc Ánh', 'nguoi-dan', 'B');
    const bui = await play(s.url, 'Bùi Văn Bảy', 'nguoi-dan', 'B');
    // Prizes: Nhất and Nhì to Ánh and Bảy; the group prizes to Cường (hoc-sinh) and Dung (nguoi-dan, next after
    // the two above: one prize per person). Đức, last, took part.
    const cuong = await play(s.url, 'Trần Quốc Cường', 'hoc-sinh', 'A');
    await play(s.url, 'Lê Thị Dung', 'nguoi-dan', 'A');
    const duc = await play(s.url, 'Phạm Minh Đức', 'nguoi-dan', 'A', 'Sai');

    // Before the lock: nothing to certify yet.
    const early = await mine(anh);
    expect(early.status).toBe(409);
    expect(((await early.json()) as Body<never> & { ok: false }).error.code).toBe('CERTIFICATE_NOT_READY');

    s.app.onlineStore.shiftClock(pastFinal());
    const lockRes = await org('POST', `/results/round/${CONTEST}/vong-loai/lock`, { acceptTies: true });
    expect(lockRes.status).toBe(200);
    const locked = (await lockRes.json()) as ResultSet;

    // A participant: the registered name, exactly, and the result.
    const res = await mine(duc);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/giay-chung-nhan-pham-minh-duc-/);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdfInfo(pdf)).toMatchObject({ pages: 1, width: 841.89, height: 595.28 });
    const text = pdfText(pdf);
    expect(text).toContain('Phạm Minh Đức');
    expect(text).toContain('Đã tham gia');
    expect(text).toContain('Trả lời đúng 0 câu');
    expect(text).toContain('https://thi.example.vn/xac-minh/');
    const code = codeIn(text)!;
    expect(code).toHaveLength(16);
    // Downloading again gives the same certificate, not a second code.
    expect(codeIn(pdfText(Buffer.from(await (await mine(duc)).arrayBuffer())))).toBe(code);

    // Its code verifies: the facts printed, the lock's SHA-256, and nothing personal beyond them.
    const verify = async (c: string) => fetch(`${s.url}/api/certificates/verify/${c}`);
    const v = (await (await verify(code)).json()) as Body<CertificateVerification> & { ok: true };
    expect(v.data.valid).toBe(true);
    expect(v.data.lock).toEqual({
      scope: `round:${CONTEST}:vong-loai`,
      sha256: locked.lock!.sha256,
      at: locked.lock!.at,
    });
    expect(v.data.facts).toMatchObject({
      code,
      kind: 'participation',
      fullName: 'Phạm Minh Đức',
      contestTitle: 'Thi trực tuyến — giấy chứng nhận',
      roundTitle: 'Vòng loại trực tuyến',
      prize: null,
      organiser: 'Sở Khoa học và Công nghệ',
    });
    expect(JSON.stringify(v.data)).not.toMatch(/0912|don-vi|Đơn vị|nguoi-dan/);
    // Typed with dashes and in lower case: the same certificate.
    const typed = code.toLowerCase().match(/.{4}/g)!.join('-');
    expect(((await (await verify(typed)).json()) as Body<CertificateVerification> & { ok: true }).data.facts.code).toBe(
      code,
    );

    // Winners online: an award with the prize (a group prize names its group), from their own page as well.
    const cuongPdf = pdfText(Buffer.from(await (await mine(cuong)).arrayBuffer()));
    expect(cuongPdf).toContain('GIẢI NHÓM · HỌC SINH, SINH VIÊN');
    const anhPdf = pdfText(Buffer.from(await (await mine(anh)).arrayBuffer()));
    const anhPrize = locked.winners.find((w) => w.playerId === anh.id)!;
    expect(anhPdf).toContain('Nguyễn Thị Ngọc Ánh');
    expect(anhPdf).toContain('Đã đạt');
    expect(anhPdf).toContain(anhPrize.label.toUpperCase());

    // A winner by claim code: refused until the desk records the full name, then printed with that name.
    const claims = (await (await org('GET', '/claims')).json()) as Claim[];
    const claim = claims.find((c) => c.playerId === bui.id)!;
    const byClaim = (c: string) =>
      fetch(`${s.url}/api/certificates/claim`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: c }),
      });
    const notYet = await byClaim(claim.code);
    expect(notYet.status).toBe(409);
    expect(
      (
        await org('POST', `/claims/${claim.code}`, {
          fullName: 'Bùi Văn Bảy',
          phone: '0912345678',
          idNumber: '031099001234',
        })
      ).status,
    ).toBe(200);
    const claimed = await byClaim(claim.code.toLowerCase());
    expect(claimed.status).toBe(200);
    const claimText = pdfText(Buffer.from(await claimed.arrayBuffer()));
    expect(claimText).toContain('Bùi Văn Bảy');
    expect(claimText).toContain(claim.label.toUpperCase());
    expect(claimText).not.toContain('031099001234');

    // Organisers: the whole round, as a ZIP of PDFs and as one PDF; not without a session.
    expect((await org('GET', `/certificates/round/${CONTEST}/vong-loai.zip`, undefined, null)).status).toBe(401);
    const zipRes = await org('GET', `/certificates/round/${CONTEST}/vong-loai.zip`);
    expect(zipRes.status).toBe(200);
    const entries = unzipSync(new Uint8Array(await zipRes.arrayBuffer()));
    const names = Object.keys(entries).sort();
    expect(names).toHaveLength(5);
    expect(names.some((n) => n.startsWith('giay-chung-nhan-nguyen-thi-ngoc-anh-'))).toBe(true);
    const zipped = names.map((n) => pdfText(Buffer.from(entries[n]!)));
    expect(zipped.map(codeIn)).toContain(code);
    const all = await org('GET', `/certificates/round/${CONTEST}/vong-loai.pdf`);
    const book = Buffer.from(await all.arrayBuffer());
    expect(pdfInfo(book).pages).toBe(5);
    for (const name of ['Nguyễn Thị Ngọc Ánh', 'Bùi Văn Bảy', 'Trần Quốc Cường', 'Lê Thị Dung', 'Phạm Minh Đức'])
      expect(pdfText(book)).toContain(name);
    expect((await org('GET', `/certificates/round/${CONTEST}/vong-loai.docx`)).status).toBe(400);

    // Forged codes: "không tìm thấy" (404), then after a few a minute's wait (429), as for unknown PINs.
    const forged = await verify('ABCD-EFGH-JKLM-NPQR');
    expect(forged.status).toBe(404);
    expect(((await forged.json()) as Body<never> & { ok: false }).error.code).toBe('NOT_FOUND');
    expect((await verify('not-a-code')).status).toBe(404);
    let limited = 0;
    for (let i = 0; i < 40; i++) if ((await verify('ZZZZZZZZZZZZZZZZ')).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});
