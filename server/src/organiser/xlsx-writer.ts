// A workbook (.xlsx) written as it is made, for exports too big for exceljs: exceljs' streaming writer took minutes
// of main-thread CPU for the 2,000,000 answer rows of a whole online round. Sheets hold text and numbers (inline
// strings), a bold frozen header row and column widths; that is all an export needs. The XML is made in slices on
// the main thread, compression runs in libuv's thread pool (node:zlib), and writing waits whenever the output is
// full, so memory stays bounded. fflate assembles the zip (no ZIP64: an entry stays under 4 GB, ~10 million rows).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { Zip, ZipPassThrough, strToU8, type ZipInputFile } from 'fflate';
import { slicer } from '../event-loop-slices';

export type Cell = string | number;

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** Sheet XML is handed to the compressor in pieces of about this many characters. */
const PIECE = 1 << 16;

// XML 1.0 cannot hold most control characters: they are dropped rather than make a file Excel refuses.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const escapeXml = (s: string) =>
  // Most cells (names, ids, labels) need nothing: no new string for them.
  !NEEDS_ESCAPE.test(s)
    ? s
    : s
        .replace(INVALID_XML, '')
        .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A1-style column letters of a 0-based column index. */
function column(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function cellXml(ref: string, v: Cell, style: number): string {
  const s = style ? ` s="${style}"` : '';
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"${s}><v>${v}</v></c>` : '';
  if (v === '') return '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(v)}</t></is></c>`;
}

export class XlsxWriter {
  private readonly zip: Zip;
  private readonly sheets: string[] = [];
  private failure: Error | null = null;
  private readonly done: Promise<void>;
  private readonly slice = slicer(1);

  constructor(private readonly out: Writable) {
    let finish!: () => void;
    let fail!: (err: Error) => void;
    this.done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    this.done.catch(() => undefined);
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.failure = err;
        return fail(err);
      }
      out.write(chunk);
      if (final) out.end(finish);
    });
  }

  /** Writes one sheet: a bold header row (frozen), then `rows` as they come. */
  async sheet(name: string, header: string[], rows: Iterable<Cell[]> | AsyncIterable<Cell[]>, widths: number[]) {
    const entry = this.deflated(`xl/worksheets/sheet${this.sheets.length + 1}.xml`);
    this.sheets.push(name);
    const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
    let xml =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${REL}">` +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
      `${cols ? `<cols>${cols}</cols>` : ''}<sheetData>` +
      `<row r="1">${header.map((h, i) => cellXml(`${column(i)}1`, h, 1)).join('')}</row>`;
    const letters = header.map((_, i) => column(i));
    let r = 1;
    for await (const row of rows) {
      r++;
      let cells = '';
      for (let i = 0; i < row.length; i++) cells += cellXml(`${letters[i] ?? column(i)}${r}`, row[i]!, 0);
      xml += `<row r="${r}">${cells}</row>`;
      if (xml.length < PIECE) continue;
      await entry.write(xml);
      xml = '';
    }
    await entry.write(`${xml}</sheetData></worksheet>`);
    await entry.end();
  }

  /** Writes the workbook's parts (sheet list, styles, relations) and ends the file. */
  async close(creator: string): Promise<void> {
    const sheets = this.sheets;
    const parts: [string, string][] = [
      [
        '[Content_Types].xml',
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
          sheets
            .map(
              (_, i) =>
                `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
            )
            .join('') +
          '</Types>',
      ],
      [
        '_rels/.rels',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
          '</Relationships>',
      ],
      [
        'docProps/core.xml',
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
          `<dc:creator>${escapeXml(creator)}</dc:creator></cp:coreProperties>`,
      ],
      [
        'xl/workbook.xml',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets>` +
          sheets.map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
          '</sheets></workbook>',
      ],
      [
        'xl/_rels/workbook.xml.rels',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          sheets
            .map(
              (_, i) =>
                `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
            )
            .join('') +
          `<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      ],
      [
        'xl/styles.xml',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${NS}">` +
          '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
          '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
          '</styleSheet>',
      ],
    ];
    for (const [name, text] of parts) {
      const file = new ZipPassThrough(name);
      this.zip.add(file);
      file.push(strToU8(text), true);
    }
    this.zip.end();
    await this.done;
  }

  /** A zip entry compressed by node:zlib off the main thread; writes wait while the compressor or `out` is full. */
  private deflated(filename: string) {
    const file: ZipInputFile = { filename, size: 0, crc: 0, compression: 8 };
    this.zip.add(file);
    // Level 1: about a third of level 6's CPU on sheet XML (measured: 274 vs 773 ms for 131 MB), a file ~20 % larger.
    const z = createDeflateRaw({ level: 1 });
    z.on('data', (chunk: Buffer<ArrayBuffer>) => file.ondata!(null, chunk, false));
    z.on('error', (err) => file.ondata!(Object.assign(err, { code: 0 }), new Uint8Array(0), true));
    const ended = once(z, 'end').then(() => file.ondata!(null, new Uint8Array(0), true));
    return {
      write: async (text: string) => {
        if (this.failure) throw this.failure;
        const bytes = Buffer.from(text);
        file.size += bytes.length;
        file.crc = crc32(bytes, file.crc);
        if (!z.write(bytes)) await once(z, 'drain');
        if (this.out.writableNeedDrain) {
          // A download the client dropped never drains: stop rather than wait for ever.
          await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
          if (this.out.destroyed) throw new Error('the workbook download was closed before it was written');
        }
        await this.slice.pause();
      },
      end: async () => {
        z.end();
        await ended;
      },
    };
  }
}
