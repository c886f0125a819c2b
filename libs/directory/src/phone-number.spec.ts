import { normalizeMobile } from './phone-number.js';

describe('normalizeMobile', () => {
  it.each([
    ['090-1234-5678', '+819012345678'],
    ['09012345678', '+819012345678'],
    ['080 1234 5678', '+818012345678'],
    ['070(1234)5678', '+817012345678'],
    ['０９０－１２３４－５６７８', '+819012345678'],
    ['090ー1234ー5678', '+819012345678'],
    ['+81 90-1234-5678', '+819012345678'],
    ['+81-090-1234-5678', '+819012345678'],
    ['+819012345678', '+819012345678'],
    ['819012345678', '+819012345678'],
    ['0081 90 1234 5678', '+819012345678'],
    ['060-1234-5678', '+816012345678'],
    ['+44 7911 123456', '+447911123456'],
    ['+1 (415) 555-0100', '+14155550100'],
  ])('accepts %s as %s', (input, e164) => {
    expect(normalizeMobile(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['03-1234-5678', /landline/],
    ['0120-123-456', /landline/],
    ['090-1234-567', /Japanese mobile/],
    ['090-1234-56789', /Japanese mobile/],
    ['050-1234-5678', /Japanese mobile/],
    ['12345', /not a phone number/],
    ['abc', /not a phone number/],
    ['090-1234-5678 ext 2', /not a phone number/],
    ['+0 123 456 789', /not a phone number/],
    ['', /empty/],
  ])('refuses %s', (input, reason) => {
    const result = normalizeMobile(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
