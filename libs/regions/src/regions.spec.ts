import { parsePrefecture, prefectureName, TSUNAMI_AREAS, tsunamiAreaPrefectures } from './index.js';

describe('prefectures', () => {
  it('reads codes and names as people write them', () => {
    expect(parsePrefecture('13')).toBe(13);
    expect(parsePrefecture('01')).toBe(1);
    expect(parsePrefecture('１３')).toBe(13);
    expect(parsePrefecture(47)).toBe(47);
    expect(parsePrefecture('東京都')).toBe(13);
    expect(parsePrefecture('東京')).toBe(13);
    expect(parsePrefecture('北海道')).toBe(1);
    expect(parsePrefecture('大阪府')).toBe(27);
    expect(parsePrefecture(' 神奈川県 ')).toBe(14);
    expect(prefectureName(17)).toBe('石川県');
  });

  it('refuses what is not a prefecture', () => {
    for (const bad of ['0', '48', '東京府', 'Tokyo', '', '1.5', 0, 48]) expect(parsePrefecture(bad)).toBeNull();
  });
});

describe('tsunami forecast areas', () => {
  it('has JMA 66 areas, 17 of which name no prefecture, each mapped to prefectures', () => {
    const areas = Object.values(TSUNAMI_AREAS);
    expect(areas).toHaveLength(66);
    const named = (n: string) => /北海道|..県|東京都|京都府|大阪府/.test(n);
    expect(areas.filter((a) => !named(a.name)).map((a) => a.name)).toHaveLength(17);
    for (const a of areas) expect(a.prefectures.length).toBeGreaterThan(0);
    expect(tsunamiAreaPrefectures('312')).toEqual([12, 13, 14]);
    expect(tsunamiAreaPrefectures('999', '伊勢・三河湾')).toEqual([23, 24]);
  });
});
