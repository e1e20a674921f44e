// Reading PDFs as a person would, with Debian's poppler-utils (installed by .ci/run): the text a reader copies,
// the page count and size, and the pages as pictures.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const run = (cmd: string, args: string[], input: Buffer) =>
  execFileSync(cmd, args, { input, maxBuffer: 256 * 1024 * 1024 });

/** The text of every page (pdftotext), NFC as it is compared. */
export const pdfText = (pdf: Buffer) =>
  run('pdftotext', ['-enc', 'UTF-8', '-', '-'], pdf).toString('utf8').normalize('NFC');

/** Page count and the first page's size in points (pdfinfo). */
export function pdfInfo(pdf: Buffer): { pages: number; width: number; height: number } {
  const info = run('pdfinfo', ['-'], pdf).toString('utf8');
  const size = info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/);
  return { pages: Number(info.match(/Pages:\s+(\d+)/)?.[1]), width: Number(size?.[1]), height: Number(size?.[2]) };
}

/** Writes each page as `<dir>/<name>-<n>.png` (pdftoppm) to look at; returns the files. */
export function pagesToPng(pdf: Buffer, dir: string, name: string, dpi = 100): string[] {
  mkdirSync(dir, { recursive: true });
  run('pdftoppm', ['-png', '-r', String(dpi), '-', path.join(dir, name)], pdf);
  const { pages } = pdfInfo(pdf);
  const width = String(pages).length;
  return Array.from({ length: pages }, (_, i) => path.join(dir, `${name}-${String(i + 1).padStart(width, '0')}.png`));
}

/** One page in grey at a low resolution (PGM from pdftoppm): its size in pixels and the share of inked pixels. */
export function pageInk(pdf: Buffer, page = 1, dpi = 30): { width: number; height: number; ink: number } {
  const pgm = run('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-'], pdf);
  const header = pgm
    .subarray(0, 40)
    .toString('latin1')
    .match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('pdftoppm did not answer a PGM');
  const [, w, h] = header.map(Number) as [number, number, number];
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 160) dark++;
  return { width: w, height: h, ink: dark / pixels.length };
}
