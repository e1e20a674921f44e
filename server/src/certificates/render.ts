// Draws certificates as PDF pages with pdfkit: A4 landscape, Noto fonts embedded (subset to Latin + Vietnamese, OFL,
// server/assets/fonts), a vector QR code to the verification page. Pure CPU, no IO after the fonts are read: the
// worker (render-worker.ts) runs it off the event loop.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatCertificateCode, type CertificateFacts, type CertificateTemplate } from '../../../protocol/certificates';

const FONTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets/fonts');
// Read once; parsed by each document. Sharing one parsed (fontkit) font between documents was tried and lost
// glyphs: a character drawn in one PDF came out blank in the next (certificates.test.ts caught it).
let fonts: { sans: Buffer; sansBold: Buffer; serifBold: Buffer } | undefined;
const loadFonts = () =>
  (fonts ??= {
    sans: readFileSync(path.join(FONTS, 'NotoSans-Regular.ttf')),
    sansBold: readFileSync(path.join(FONTS, 'NotoSans-Bold.ttf')),
    serifBold: readFileSync(path.join(FONTS, 'NotoSerif-Bold.ttf')),
  });

/** The template with its images read: what one page needs, as plain data (it crosses to the worker thread). */
export interface RenderTemplate extends Omit<CertificateTemplate, 'logo' | 'signatures'> {
  organiser: string;
  logo?: Uint8Array;
  signatures: (Omit<CertificateTemplate['signatures'][number], 'image'> & { image?: Uint8Array })[];
}

export interface CertificatePage {
  facts: CertificateFacts;
  template: RenderTemplate;
  /** Where the QR code leads: `<public URL>/xac-minh/<code>`. */
  verifyUrl: string;
}

const W = 841.89; // A4 landscape, points
const H = 595.28;
const INK = '#1a1a1a';
const MUTED = '#444444';

/**
 * "ngày 10 tháng 10 năm 2026", in Vietnam's time, written as official papers write dates (Decree 30/2020/NĐ-CP): a
 * zero before days under 10 and before months 1 and 2 ("ngày 05 tháng 01", "ngày 07 tháng 9").
 */
export function vietnameseDate(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const day = get('day');
  const month = get('month');
  return `ngày ${String(day).padStart(2, '0')} tháng ${month <= 2 ? String(month).padStart(2, '0') : month} năm ${get('year')}`;
}

/** One PDF with a page per certificate (a single certificate is a one-page list). */
export function renderCertificates(pages: CertificatePage[]): Promise<Buffer> {
  const f = loadFonts();
  const first = pages[0]?.facts;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: pages.length === 1 && first ? `Giấy chứng nhận – ${first.fullName}` : 'Giấy chứng nhận',
      Author: first?.organiser ?? '',
      Subject: first?.contestTitle ?? '',
    },
  });
  doc.registerFont('sans', f.sans);
  doc.registerFont('sans-bold', f.sansBold);
  doc.registerFont('serif-bold', f.serifBold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const page of pages) drawPage(doc, page);
  doc.end();
  return done;
}

/** Writes one centred line, shrinking the size until it fits the width (long names stay on one line). */
function fitLine(
  doc: PDFKit.PDFDocument,
  text: string,
  font: string,
  size: number,
  min: number,
  y: number,
  x = 0,
  width = W,
) {
  doc.font(font);
  let s = size;
  while (s > min && doc.fontSize(s).widthOfString(text) > width - 8) s -= 1;
  doc.fontSize(s).text(text, x, y, { width, align: 'center', lineBreak: s > min ? false : true });
  return s;
}

function drawPage(doc: PDFKit.PDFDocument, { facts, template: t, verifyUrl }: CertificatePage) {
  doc.addPage();
  const accent = t.accent;
  // Frame: a thick line and a thin one inside it.
  doc
    .lineWidth(6)
    .rect(18, 18, W - 36, H - 36)
    .stroke(accent);
  doc
    .lineWidth(1.2)
    .rect(30, 30, W - 60, H - 60)
    .stroke(accent);

  // Top left: the authority and the organiser; top right: the national motto. Each underlined, as on paper.
  const colW = 330;
  const left = 44;
  const right = W - 44 - colW;
  doc.fillColor(INK);
  let y = 46;
  if (t.authority) {
    doc.font('sans').fontSize(13).text(t.authority.toUpperCase(), left, y, { width: colW, align: 'center' });
    y = doc.y;
  }
  doc.font('sans-bold').fontSize(13).text(t.organiser.toUpperCase(), left, y, { width: colW, align: 'center' });
  underline(doc, left + colW / 2, doc.y + 4, 110);
  if (t.motto) {
    doc
      .font('sans-bold')
      .fontSize(13)
      .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', right, 46, { width: colW, align: 'center' });
    doc
      .font('sans-bold')
      .fontSize(13)
      .text('Độc lập – Tự do – Hạnh phúc', right, doc.y, { width: colW, align: 'center' });
    underline(doc, right + colW / 2, doc.y + 4, 170);
  }
  if (t.logo) doc.image(Buffer.from(t.logo), W / 2 - 32, 44, { fit: [64, 64], align: 'center', valign: 'center' });

  // Title, then who, then what.
  doc.fillColor(accent);
  fitLine(doc, t.title, 'serif-bold', 44, 28, 124);
  doc.fillColor(INK);
  const certifies = t.certifies ?? `${t.organiser.toUpperCase()} CHỨNG NHẬN`;
  fitLine(doc, certifies, 'sans-bold', 15, 11, 186, 60, W - 120);
  doc.font('sans').fontSize(16).text('Ông/Bà', 0, 220, { width: W, align: 'center' });
  doc.fillColor(accent);
  fitLine(doc, facts.fullName, 'serif-bold', 38, 18, 240, 60, W - 120);
  doc.fillColor(INK);

  y = 296;
  if (facts.kind === 'award' && facts.prize) {
    doc.font('sans').fontSize(16).text(t.award, 0, y, { width: W, align: 'center' });
    doc.fillColor(accent);
    fitLine(doc, facts.prize.toUpperCase(), 'sans-bold', 24, 14, y + 22, 60, W - 120);
    doc.fillColor(INK);
    y += 58;
  } else {
    doc.font('sans').fontSize(16).text(t.participation, 0, y, { width: W, align: 'center' });
    y += 26;
  }
  fitLine(doc, facts.contestTitle, 'sans-bold', 19, 13, y, 60, W - 120);
  y += 28;
  doc
    .font('sans')
    .fontSize(16)
    .text(`${facts.roundTitle} · ${facts.result}`, 80, y, { width: W - 160, align: 'center' });

  // Bottom right: place and date, then the signatures; bottom left: the QR code and the code to type.
  const date = vietnameseDate(facts.lockedAt);
  const dateLine = t.place ? `${t.place}, ${date}` : `N${date.slice(1)}`;
  const sigs = t.signatures;
  const sigW = 200;
  // The block sits right, far enough in that the date line centred over it stays inside the frame.
  const sigsRight = W - 75;
  const sigsLeft = sigsRight - Math.max(1, sigs.length) * sigW;
  doc.font('sans').fontSize(14);
  const dateW = Math.max(sigsRight - sigsLeft, doc.widthOfString(dateLine) + 12);
  const dateX = Math.min((sigsLeft + sigsRight) / 2 - dateW / 2, W - 44 - dateW);
  doc.fillColor(INK).text(dateLine, dateX, 416, { width: dateW, align: 'center' });
  sigs.forEach((s, i) => {
    const x = sigsRight - (i + 1) * sigW;
    let sy = 440;
    if (s.on) {
      doc.font('sans-bold').fontSize(12).text(s.on.toUpperCase(), x, sy, { width: sigW, align: 'center' });
      sy = doc.y;
    }
    doc.font('sans-bold').fontSize(12).text(s.role.toUpperCase(), x, sy, { width: sigW, align: 'center' });
    if (s.image)
      doc.image(Buffer.from(s.image), x + 30, doc.y + 2, { fit: [sigW - 60, 58], align: 'center', valign: 'center' });
    doc.font('sans-bold').fontSize(14).text(s.name, x, 530, { width: sigW, align: 'center' });
  });

  const qrSize = 96;
  const qrX = 50;
  const qrY = H - 50 - qrSize;
  drawQr(doc, verifyUrl, qrX, qrY, qrSize);
  const textX = qrX + qrSize + 12;
  doc
    .fillColor(MUTED)
    .font('sans')
    .fontSize(11)
    .text('Mã xác minh', textX, qrY + 6, { width: 230 });
  doc
    .fillColor(INK)
    .font('sans-bold')
    .fontSize(15)
    .text(formatCertificateCode(facts.code), textX, doc.y, { width: 230 });
  doc
    .fillColor(MUTED)
    .font('sans')
    .fontSize(10)
    .text('Quét mã QR hoặc mở:', textX, doc.y + 4, { width: 230 });
  // The address on one line (a break at its dash would be read, and copied, without it), smaller if it must be.
  let urlSize = 10;
  while (urlSize > 6 && doc.fontSize(urlSize).widthOfString(verifyUrl) > 380) urlSize -= 0.5;
  doc.fontSize(urlSize).text(verifyUrl, textX, doc.y, { lineBreak: false });
  doc.fillColor(INK);
}

function underline(doc: PDFKit.PDFDocument, cx: number, y: number, width: number) {
  doc
    .lineWidth(0.8)
    .moveTo(cx - width / 2, y)
    .lineTo(cx + width / 2, y)
    .stroke(INK);
}

/** The QR code as vector squares: sharp at any zoom and on any printer. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell + 0.05, cell + 0.05);
  doc.fill('#000000');
}
