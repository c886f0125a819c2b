/**
 * JMA's 66 tsunami forecast areas (津波予報区) and the prefectures whose coast each covers.
 *
 * Source: 気象庁「津波予報区」(https://www.data.jma.go.jp/eqev/data/tsunami/yohoukuzu.html) and
 * the area code table of 気象庁防災情報XML (個別コード表 AreaTsunami, https://xml.kishou.go.jp/tec_material.html).
 * 17 areas name no prefecture (陸奥湾, 東京湾内湾, 伊勢・三河湾, 有明・八代海 …); a few cover several.
 * Codes are JMA's three-digit area codes; prefectures are JIS X 0401 codes.
 */
export const TSUNAMI_AREAS: Readonly<Record<string, { name: string; prefectures: readonly number[] }>> = {
  '100': { name: '北海道太平洋沿岸東部', prefectures: [1] },
  '101': { name: '北海道太平洋沿岸中部', prefectures: [1] },
  '102': { name: '北海道太平洋沿岸西部', prefectures: [1] },
  '110': { name: '北海道日本海沿岸北部', prefectures: [1] },
  '111': { name: '北海道日本海沿岸南部', prefectures: [1] },
  '120': { name: 'オホーツク海沿岸', prefectures: [1] },
  '200': { name: '青森県日本海沿岸', prefectures: [2] },
  '201': { name: '青森県太平洋沿岸', prefectures: [2] },
  '202': { name: '陸奥湾', prefectures: [2] },
  '210': { name: '岩手県', prefectures: [3] },
  '220': { name: '宮城県', prefectures: [4] },
  '230': { name: '秋田県', prefectures: [5] },
  '240': { name: '山形県', prefectures: [6] },
  '250': { name: '福島県', prefectures: [7] },
  '300': { name: '茨城県', prefectures: [8] },
  '310': { name: '千葉県九十九里・外房', prefectures: [12] },
  '311': { name: '千葉県内房', prefectures: [12] },
  '312': { name: '東京湾内湾', prefectures: [12, 13, 14] },
  '320': { name: '伊豆諸島', prefectures: [13] },
  '321': { name: '小笠原諸島', prefectures: [13] },
  '330': { name: '相模湾・三浦半島', prefectures: [14] },
  '340': { name: '新潟県上中下越', prefectures: [15] },
  '341': { name: '佐渡', prefectures: [15] },
  '350': { name: '富山県', prefectures: [16] },
  '360': { name: '石川県能登', prefectures: [17] },
  '361': { name: '石川県加賀', prefectures: [17] },
  '370': { name: '福井県', prefectures: [18] },
  '380': { name: '静岡県', prefectures: [22] },
  '390': { name: '愛知県外海', prefectures: [23] },
  '391': { name: '伊勢・三河湾', prefectures: [23, 24] },
  '400': { name: '三重県南部', prefectures: [24] },
  '500': { name: '京都府', prefectures: [26] },
  '510': { name: '大阪府', prefectures: [27] },
  '520': { name: '兵庫県北部', prefectures: [28] },
  '521': { name: '兵庫県瀬戸内海沿岸', prefectures: [28] },
  '522': { name: '淡路島南部', prefectures: [28] },
  '530': { name: '和歌山県', prefectures: [30] },
  '540': { name: '鳥取県', prefectures: [31] },
  '550': { name: '島根県出雲・石見', prefectures: [32] },
  '551': { name: '隠岐', prefectures: [32] },
  '560': { name: '岡山県', prefectures: [33] },
  '570': { name: '広島県', prefectures: [34] },
  '580': { name: '徳島県', prefectures: [36] },
  '590': { name: '香川県', prefectures: [37] },
  '600': { name: '愛媛県宇和海沿岸', prefectures: [38] },
  '601': { name: '愛媛県瀬戸内海沿岸', prefectures: [38] },
  '610': { name: '高知県', prefectures: [39] },
  '700': { name: '山口県日本海沿岸', prefectures: [35] },
  '701': { name: '山口県瀬戸内海沿岸', prefectures: [35] },
  '710': { name: '福岡県瀬戸内海沿岸', prefectures: [40] },
  '711': { name: '福岡県日本海沿岸', prefectures: [40] },
  '712': { name: '有明・八代海', prefectures: [40, 41, 42, 43] },
  '720': { name: '佐賀県北部', prefectures: [41] },
  '730': { name: '長崎県西方', prefectures: [42] },
  '731': { name: '壱岐・対馬', prefectures: [42] },
  '740': { name: '熊本県天草灘沿岸', prefectures: [43] },
  '750': { name: '大分県瀬戸内海沿岸', prefectures: [44] },
  '751': { name: '大分県豊後水道沿岸', prefectures: [44] },
  '760': { name: '宮崎県', prefectures: [45] },
  '770': { name: '鹿児島県東部', prefectures: [46] },
  '771': { name: '種子島・屋久島地方', prefectures: [46] },
  '772': { name: '奄美群島・トカラ列島', prefectures: [46] },
  '773': { name: '鹿児島県西部', prefectures: [46] },
  '800': { name: '沖縄本島地方', prefectures: [47] },
  '801': { name: '大東島地方', prefectures: [47] },
  '802': { name: '宮古島・八重山地方', prefectures: [47] },
};

/** The prefectures of a tsunami forecast area, by its code or name; empty for an area not in the table. */
export function tsunamiAreaPrefectures(code: string, name?: string): readonly number[] {
  const byCode = TSUNAMI_AREAS[code];
  if (byCode) return byCode.prefectures;
  return Object.values(TSUNAMI_AREAS).find((a) => a.name === name)?.prefectures ?? [];
}
