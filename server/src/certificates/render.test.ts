// Certificates checked as a person would: rendered to PNG with poppler-utils (e2e/screenshots/certificates/*.png, to
// look at), A4 landscape, ink on the page, and the exact Vietnamese text a reader copies out of the PDF.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CertificateTemplate, type CertificateFacts } from '../../../protocol/certificates';
import { checkCertificateTemplate } from '../contests/certificate-template';
import { pageInk, pagesToPng, pdfInfo, pdfText } from '../../test/pdf-check';
import { renderCertificates, vietnameseDate, type RenderTemplate } from './render';

const SAMPLE = 'contests/cong-dan-so-2026';
const shots = path.resolve('e2e/screenshots/certificates');

async function sampleTemplate(): Promise<RenderTemplate> {
  const checked = await checkCertificateTemplate(SAMPLE);
  if (!checked.ok || !checked.template) throw new Error('the sample certificate.yaml must load');
  const { logo, signatures, ...texts } = checked.template;
  return {
    ...texts,
    organiser: texts.organiser ?? 'Sở Khoa học và Công nghệ thành phố',
    logo: new Uint8Array(await readFile(path.join(SAMPLE, logo!))),
    signatures: await Promise.all(
      signatures.map(async ({ image, ...s }) => ({
        ...s,
        ...(image ? { image: new Uint8Array(await readFile(path.join(SAMPLE, image))) } : {}),
      })),
    ),
  };
}

const award: CertificateFacts = {
  code: 'K7M2QH4XPWN8RT3A',
  kind: 'award',
  fullName: 'Nguyễn Thị Ngọc Ánh',
  contestTitle: 'Công dân số – sử dụng thông minh, sống an toàn 2026',
  roundTitle: 'Vòng Chung kết – Ngày hội toàn dân học tập số',
  prize: 'Giải Nhất nhóm đối tượng · Người dân',
  result: '18 câu đúng · 31.250 điểm',
  organiser: 'Sở Khoa học và Công nghệ thành phố',
  lockedAt: Date.parse('2026-10-10T16:30:00+07:00'),
};
const participation: CertificateFacts = {
  ...award,
  code: 'ZZ3Y9BCDEFGH2JKL',
  kind: 'participation',
  // The longest registered name (100 characters) still sits on one line, smaller.
  fullName: 'Tôn Nữ Hoàng Thị Phương Thảo Quỳnh Hương Diễm Lệ Nguyễn Phước Bửu Trưởng Ưng Ý Ngọc Khuê Đoan Trang Mỹ',
  roundTitle: 'Vòng Sơ khảo trực tuyến',
  prize: null,
  result: 'Trả lời đúng 9 câu',
};

describe(renderCertificates.name, () => {
  it('draws A4 landscape pages with the exact Vietnamese text, the code and the verification address', async () => {
    const template = await sampleTemplate();
    const pdf = await renderCertificates([
      { facts: award, template, verifyUrl: 'https://thi.example.vn/xac-minh/K7M2QH4XPWN8RT3A' },
      { facts: participation, template, verifyUrl: 'https://thi.example.vn/xac-minh/ZZ3Y9BCDEFGH2JKL' },
    ]);
    const info = pdfInfo(pdf);
    expect(info).toEqual({ pages: 2, width: 841.89, height: 595.28 });
    const files = pagesToPng(pdf, shots, 'sample');
    expect(files).toHaveLength(2);

    // A long name may wrap: compare with the line breaks as spaces.
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const line of [
      'GIẤY CHỨNG NHẬN',
      'Nguyễn Thị Ngọc Ánh',
      'GIẢI NHẤT NHÓM ĐỐI TƯỢNG · NGƯỜI DÂN',
      'Công dân số – sử dụng thông minh, sống an toàn 2026',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập – Tự do – Hạnh phúc',
      'Hải Phòng, ngày 10 tháng 10 năm 2026',
      'Nguyễn Văn Minh',
      'K7M2-QH4X-PWN8-RT3A',
      'Trả lời đúng 9 câu',
      participation.fullName,
    ])
      expect(text).toContain(line);

    // Each page has ink (frame, title, QR), and not a page of it: a blank or a black page would both fail.
    for (const page of [1, 2]) {
      const { width, height, ink } = pageInk(pdf, page);
      expect(width).toBeGreaterThan(height);
      expect(ink).toBeGreaterThan(0.02);
      expect(ink).toBeLessThan(0.3);
    }
  });

  it('works with the defaults alone (a contest without certificate.yaml)', async () => {
    const { logo: _none, signatures: _empty, ...defaults } = CertificateTemplate.parse({});
    const pdf = await renderCertificates([
      {
        facts: award,
        template: { ...defaults, organiser: award.organiser, signatures: [] },
        verifyUrl: 'http://192.168.1.10:3000/xac-minh/K7M2QH4XPWN8RT3A',
      },
    ]);
    pagesToPng(pdf, shots, 'defaults');
    const text = pdfText(pdf);
    expect(text).toContain('SỞ KHOA HỌC VÀ CÔNG NGHỆ THÀNH PHỐ CHỨNG NHẬN');
    expect(text).toContain('Nguyễn Thị Ngọc Ánh');
    expect(text).not.toContain('Hải Phòng');
    expect(text).toContain('Ngày 10 tháng 10 năm 2026');
  });

  it.each([
    [Date.parse('2026-10-10T16:30:00+07:00'), 'ngày 10 tháng 10 năm 2026'],
    // 23:30 UTC on 9/10 is already 10/10 in Vietnam.
    [Date.parse('2026-10-09T23:30:00Z'), 'ngày 10 tháng 10 năm 2026'],
    [Date.parse('2026-01-05T00:00:00+07:00'), 'ngày 05 tháng 01 năm 2026'],
    [Date.parse('2026-09-07T08:00:00+07:00'), 'ngày 07 tháng 9 năm 2026'],
  ])('dates in Vietnam time: %s → %s', (ms, text) => {
    expect(vietnameseDate(ms)).toBe(text);
  });
});
