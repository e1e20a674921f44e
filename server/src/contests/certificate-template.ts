// `certificate.yaml` beside contest.yaml: the certificate's texts, logo and signatures (protocol/certificates.ts).
// Optional: a contest without one gets the defaults. Checked with the contest (validate.ts) so a bad file fails
// `npm run contest -- validate` and the start-up, not the day certificates are printed.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CertificateTemplate } from '../../../protocol/certificates';
import type { ContestProblem } from './validate';

export const CERTIFICATE_FILE = 'certificate.yaml';

export type TemplateCheck =
  { ok: true; template: CertificateTemplate | null } | { ok: false; problems: ContestProblem[] };

/** Reads and checks `<dir>/certificate.yaml` and the images it names; `template: null` when there is none. */
export async function checkCertificateTemplate(dir: string): Promise<TemplateCheck> {
  const file = path.join(dir, CERTIFICATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: true, template: null };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    return { ok: false, problems: [{ file, field: '', message: (err as Error).message }] };
  }
  const parsed = CertificateTemplate.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        file,
        field: i.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replace(/\.\[/g, '['),
        message: i.message,
      })),
    };
  const problems: ContestProblem[] = [];
  const images = [
    ['logo', parsed.data.logo],
    ...parsed.data.signatures.map((s, i) => [`signatures[${i}].image`, s.image] as const),
  ] as const;
  for (const [field, src] of images) {
    if (!src) continue;
    try {
      await access(path.join(dir, src));
    } catch {
      problems.push({ file, field, message: `không tìm thấy tệp ảnh "${src}" cạnh ${CERTIFICATE_FILE}` });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, template: parsed.data };
}
