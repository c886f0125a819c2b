/**
 * Mobile numbers as HR files and people write them (090-1234-5678, ０９０（１２３４）５６７８,
 * +81 90 1234 5678) to E.164 (+819012345678), which SMS providers need. Japanese numbers must be
 * mobiles (060/070/080/090): a landline cannot receive the SMS. Numbers of other countries are
 * accepted in international form only.
 */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

const SEPARATORS = /[\s\-‐‑‒–—―−ー－().,]/g;
const JP_MOBILE = /^0[6789]0\d{8}$/;

export function normalizeMobile(input: string): PhoneResult {
  const compact = input.normalize('NFKC').replace(SEPARATORS, '');
  if (compact === '') return { ok: false, reason: 'is empty' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'is not a phone number (digits, spaces, "-" and a leading "+" only)' };

  let national: string | null = null;
  if (compact.startsWith('+81')) national = `0${compact.slice(3).replace(/^0/, '')}`;
  else if (compact.startsWith('0081')) national = `0${compact.slice(4).replace(/^0/, '')}`;
  else if (compact.startsWith('0')) national = compact;
  else if (compact.startsWith('81') && compact.length === 12) national = `0${compact.slice(2)}`;

  if (national !== null) {
    if (JP_MOBILE.test(national)) return { ok: true, e164: `+81${national.slice(1)}` };
    if (/^0\d{9}$/.test(national) && !/^0[6789]0/.test(national))
      return { ok: false, reason: 'is a landline, not a mobile number (携帯電話番号ではありません)' };
    return { ok: false, reason: 'is not a Japanese mobile number: expected 11 digits starting 070, 080 or 090' };
  }
  if (compact.startsWith('+') && /^\+[1-9]\d{7,14}$/.test(compact)) return { ok: true, e164: compact };
  return { ok: false, reason: 'is not a phone number: write it as 090-1234-5678 or in international form (+44…)' };
}
