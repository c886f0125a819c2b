export { PREFECTURES, PREFECTURE_HINT, isPrefectureCode, parsePrefecture, prefectureName, type PrefectureCode } from './prefectures.js';
export { TSUNAMI_AREAS, tsunamiAreaPrefectures } from './tsunami-areas.js';
export { IsPrefecture } from './prefecture.validator.js';
