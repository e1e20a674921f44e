// Certificates ("Giấy chứng nhận"): the template an organiser writes beside contest.yaml (certificate.yaml), the
// certificate code in paths, and what the public verification route answers. See docs/contests.md and
// docs/protocol.md "Certificates".
import { z } from 'zod';
import { Slug } from './contest';

// ---------------------------------------------------------------- the template (certificate.yaml)

const Line = z.string().trim().min(1).max(160);
/** An image beside contest.yaml (PNG or JPEG: what the PDF library embeds). */
const ImageFile = z
  .string()
  .trim()
  .regex(/^[\w-][\w.-]{0,119}\.(png|jpe?g)$/i, 'tên tệp ảnh .png hoặc .jpg nằm cạnh certificate.yaml');

/** One signature block, right to left as the organiser lists them (at most three fit one line). */
export const CertificateSignature = z.object({
  /** e.g. "TM. BAN TỔ CHỨC" (on behalf of). */
  on: Line.optional(),
  /** e.g. "TRƯỞNG BAN". */
  role: Line,
  /** The signer's name, printed under the signature. */
  name: Line,
  /** A scanned signature (and seal), transparent PNG preferred. */
  image: ImageFile.optional(),
});
export type CertificateSignature = z.infer<typeof CertificateSignature>;

/**
 * `contests/<id>/certificate.yaml`: the certificate's texts, logo and signatures for one contest. Every field is
 * optional; what is missing comes from {@link CERTIFICATE_DEFAULTS} and the contest (title, organiser).
 */
export const CertificateTemplate = z
  .object({
    /** The agency above the organiser, top left, e.g. "UBND THÀNH PHỐ". */
    authority: Line.optional(),
    /** Top left under the authority; defaults to the contest's organiser. */
    organiser: Line.optional(),
    /** The national motto top right (Cộng hòa xã hội chủ nghĩa Việt Nam / Độc lập – Tự do – Hạnh phúc). */
    motto: z.boolean().default(true),
    title: Line.default('GIẤY CHỨNG NHẬN'),
    /** The line above the name, e.g. "BAN TỔ CHỨC HỘI THI CHỨNG NHẬN". */
    certifies: Line.optional(),
    /** Above a participant's result. */
    participation: Line.default('Đã tham gia'),
    /** Above an award's prize. */
    award: Line.default('Đã đạt'),
    /** Where it is signed: "<place>, ngày … tháng … năm …". */
    place: Line.optional(),
    /** The organiser's logo, top centre. */
    logo: ImageFile.optional(),
    signatures: z.array(CertificateSignature).max(3).default([]),
    /** A dark colour for the title and the frame, `#rrggbb`. */
    accent: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'màu dạng #rrggbb')
      .default('#9b1c1c'),
  })
  .strict();
export type CertificateTemplate = z.infer<typeof CertificateTemplate>;

// ---------------------------------------------------------------- codes and verification

/**
 * A certificate's code: 16 characters of a 32-letter alphabet without I, O, 0 or 1 (80 random bits), shown in
 * groups of four (`ABCD-EFGH-JKLM-NPQR`). Dashes, spaces and case are ignored when it is typed.
 */
export const CertificateCode = z
  .string()
  .max(40)
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{16}$/, 'malformed certificate code'));

/** `ABCDEFGHJKLMNPQR` → `ABCD-EFGH-JKLM-NPQR`. */
export const formatCertificateCode = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

export type CertificateKind = 'participation' | 'award';

/**
 * What a certificate states; the same facts the PDF prints, and all that the public verification page shows (no
 * phone, unit or other personal data).
 */
export interface CertificateFacts {
  code: string;
  kind: CertificateKind;
  /** The contestant's registered full name or the name the prize desk recorded; never a nickname. */
  fullName: string;
  contestTitle: string;
  /** The round (or rounds) the result comes from. */
  roundTitle: string;
  /** The prize's label for an award (e.g. "Giải Nhất"), with its target group where it is a group prize. */
  prize: string | null;
  /** The result in words, e.g. "Trả lời đúng 9/10 câu". */
  result: string;
  organiser: string;
  /** When the results were locked (ms): the certificate's date. */
  lockedAt: number;
}

/** `GET /api/certificates/verify/:code` (public, rate-limited): whether the code is a certificate, and its facts. */
export interface CertificateVerification {
  facts: CertificateFacts;
  /** The locked result set it rests on: its SHA-256 as locked, re-computed from the stored copy just now. */
  lock: { scope: string; sha256: string; at: number };
  /** The stored copy still hashes to the locked SHA-256 and lists this contestant with this result. */
  valid: boolean;
}

/** `:contestId` / `:roundId` path parameters of the certificate routes. */
export const CertificateContestId = Slug;
export const CertificateRoundId = Slug;
/** The organiser's download of a whole round: one ZIP of PDFs, or one PDF with a page each. */
export const CertificateBundleFormat = z.enum(['zip', 'pdf']);
