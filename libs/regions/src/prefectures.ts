/**
 * Japan's 47 prefectures by their JIS X 0401 codes (01 北海道 … 47 沖縄県), as the directory
 * stores them and JMA's telegrams name them (the first two digits of JMA's area codes).
 */
export const PREFECTURES = [
  '北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県', '群馬県',
  '埼玉県', '千葉県', '東京都', '神奈川県', '新潟県', '富山県', '石川県', '福井県', '山梨県', '長野県',
  '岐阜県', '静岡県', '愛知県', '三重県', '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県',
  '鳥取県', '島根県', '岡山県', '広島県', '山口県', '徳島県', '香川県', '愛媛県', '高知県', '福岡県',
  '佐賀県', '長崎県', '熊本県', '大分県', '宮崎県', '鹿児島県', '沖縄県',
] as const; // prettier-ignore

export type PrefectureCode = number;

export function isPrefectureCode(value: unknown): value is PrefectureCode {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 47;
}

export function prefectureName(code: PrefectureCode): string {
  return PREFECTURES[code - 1] ?? String(code);
}

const BY_NAME = new Map<string, number>();
PREFECTURES.forEach((name, i) => {
  BY_NAME.set(name, i + 1);
  // 「東京」「大阪」「神奈川」: the name without 都・府・県 (北海道 keeps its 道).
  if (name !== '北海道') BY_NAME.set(name.slice(0, -1), i + 1);
});

/**
 * A prefecture as people write it: the code ("13", "1", "01", 13) or the name (「東京都」「東京」),
 * full-width digits included. Null when it is neither.
 */
export function parsePrefecture(input: string | number): PrefectureCode | null {
  if (typeof input === 'number') return isPrefectureCode(input) ? input : null;
  const text = input.normalize('NFKC').trim();
  if (/^\d{1,2}$/.test(text)) {
    const code = Number(text);
    return isPrefectureCode(code) ? code : null;
  }
  return BY_NAME.get(text) ?? null;
}

/** How a stored code reads in exports and messages: 「13 東京都」 is not needed, the name is. */
export const PREFECTURE_HINT = 'a JIS X 0401 code (01–47) or a prefecture name such as 東京都';
