// Vietnamese mobile numbers: the one key of a contestant in a contest, so every usual way of writing one must
// land on the same string, and anything that is not a mobile number must be refused.

/** Mobile prefixes after the leading 0 since the 2018 renumbering: 03x, 05x, 07x, 08x, 09x. */
const MOBILE = /^(3|5|7|8|9)\d{8}$/;

/**
 * `0912 345 678`, `0912.345.678`, `+84 912-345-678`, `84912345678`, `(+84) 912345678` → `+84912345678`;
 * null for anything else (landlines, short codes, foreign numbers, letters).
 */
export function normalisePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[+\d\s.\-()]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/[^\d]/g, '');
  if (trimmed.replace(/[\s()]/g, '').startsWith('+')) {
    if (!digits.startsWith('84')) return null;
    digits = digits.slice(2);
  } else if (digits.startsWith('84') && digits.length === 11) {
    digits = digits.slice(2);
  } else if (digits.startsWith('0')) {
    digits = digits.slice(1);
  } else {
    return null;
  }
  // "+84 0912…" is a common slip: the trunk 0 after the country code.
  if (digits.length === 10 && digits.startsWith('0')) digits = digits.slice(1);
  return MOBILE.test(digits) ? `+84${digits}` : null;
}

/** `+84912345678` → `091****678`: enough for the owner to recognise, not enough for anyone else. */
export function maskPhone(normalised: string): string {
  const local = `0${normalised.slice(3)}`;
  return `${local.slice(0, 3)}****${local.slice(-3)}`;
}
