/**
 * Search input as people type it: full-width or half-width, hiragana or katakana. Returns the
 * terms (split on spaces) in the forms stored names, kana and codes are matched against.
 */
export function searchTerms(q: string): { text: string; kana: string; hiragana: string }[] {
  return q
    .normalize('NFKC')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((text) => ({ text, kana: toKatakana(text), hiragana: toHiragana(text) }));
}

export function toKatakana(text: string): string {
  return text.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}
