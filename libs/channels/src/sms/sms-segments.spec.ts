import { countSmsSegments } from './sms-segments.js';

describe('countSmsSegments', () => {
  it.each([
    ['', 'GSM-7', 1],
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['{'.repeat(80), 'GSM-7', 1],
    ['{'.repeat(81), 'GSM-7', 2],
    ['安'.repeat(70), 'UCS-2', 1],
    ['安'.repeat(71), 'UCS-2', 2],
    ['安'.repeat(134), 'UCS-2', 2],
    ['安'.repeat(135), 'UCS-2', 3],
    ['a'.repeat(69) + '安', 'UCS-2', 1],
    ['😀'.repeat(35), 'UCS-2', 1],
    ['😀'.repeat(36), 'UCS-2', 2],
  ])('%j is %s in %i segment(s)', (text, encoding, segments) => {
    expect(countSmsSegments(text)).toMatchObject({ encoding, segments });
  });
});
