import { derive, quake, sample, tsunami, weatherWarning } from '#anpi/stand-ins';
import { parseTelegram, type TelegramSummary } from '#anpi/jma';

const parsed = (xml: string): TelegramSummary => {
  const result = parseTelegram(xml);
  if (!result.ok) throw new Error(result.reason);
  return result.summary;
};

describe('parseTelegram (JMA samples)', () => {
  it('reads 震度速報 (VXSE51): max intensity per prefecture', () => {
    const t = parsed(sample('vxse51'));
    expect(t).toMatchObject({ kind: 'VXSE51', hazard: 'earthquake', status: '通常', infoType: '発表', eventId: '20110311144640', serial: null });
    expect(t.levels['4']).toBe(8); // 宮城県 6強
    expect(t.maxLevel).toBe(8);
    expect(t.reportedAt).toBe('2011-03-11T05:48:00.000Z');
    expect(t.strongestArea).toBe('宮城県北部');
  });

  it('reads 震源・震度に関する情報 (VXSE53): epicentre, magnitude and 18 prefectures', () => {
    const t = parsed(sample('vxse53'));
    expect(t).toMatchObject({ kind: 'VXSE53', eventId: '20100705065610', serial: 1, epicenter: '岩手県沖', magnitude: 'Ｍ６．３' });
    expect(Object.keys(t.levels)).toHaveLength(18);
    expect(t.levels['3']).toBe(4); // 岩手県 4
  });

  it('tells 訓練 and 取消 apart', () => {
    expect(parsed(sample('drill')).status).toBe('訓練');
    const cancel = parsed(sample('cancel'));
    expect(cancel).toMatchObject({ infoType: '取消', eventId: '20100227153529', levels: {}, maxLevel: 0 });
    expect(parsed(derive(sample('vxse53'), { status: '試験' })).status).toBe('試験');
  });

  it('counts 震度５弱以上未入電 as 5弱', () => {
    const t = parsed(quake({ '17': '4', '15': '3' }, { eventId: 'E1', unreported: ['17'] }));
    expect(t.levels).toEqual({ '17': 5, '15': 3 });
  });

  it('maps tsunami forecast areas to prefectures (東京湾内湾 is three)', () => {
    const t = parsed(
      tsunami(
        [
          { code: '312', name: '東京湾内湾', kind: 'advisory' },
          { code: '360', name: '石川県能登', kind: 'major' },
        ],
        { eventId: 'E2' },
      ),
    );
    expect(t).toMatchObject({ kind: 'VTSE41', hazard: 'tsunami', eventId: 'E2', strongestArea: '石川県能登' });
    expect(t.levels).toEqual({ '12': 1, '13': 1, '14': 1, '17': 3 });
  });

  it('reads only the 特別警報 kinds of a weather warning', () => {
    const t = parsed(
      weatherWarning([
        { area: '400000', name: '福岡県', kinds: [{ code: '33', name: '大雨特別警報' }] },
        { area: '410000', name: '佐賀県', kinds: [{ code: '03', name: '大雨警報' }] },
        { area: '420000', name: '長崎県', kinds: [{ code: '33', name: '大雨特別警報', status: '解除' }] },
      ]),
    );
    expect(t).toMatchObject({ kind: 'VPWW54', hazard: 'special_warning', eventId: null, levels: { '40': 1 }, warnings: ['大雨特別警報'] });
  });

  it('refuses what it cannot read, with the reason', () => {
    expect(parseTelegram('<Report><Control>')).toMatchObject({ ok: false, reason: expect.stringContaining('not well-formed XML') });
    expect(parseTelegram('<html/>')).toMatchObject({ ok: false, reason: expect.stringContaining('not a JMA telegram') });
    expect(parseTelegram(sample('vxse53').replace('<Status>通常</Status>', '<Status>本番</Status>'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Control/Status'),
    });
    expect(parseTelegram(sample('vxse53').replace('<Title>震源・震度に関する情報</Title>', '<Title>府県天気予報</Title>'))).toMatchObject({
      ok: false,
      ignored: true,
    });
  });
});
