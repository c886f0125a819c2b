import { MacTokenCodec } from './mac-token-codec.js';
import { deterministicUuid, uuidBytes, uuidString } from './uuid.js';

describe('MacTokenCodec', () => {
  const keys = [
    { id: 'b', secret: 's'.repeat(40) },
    { id: 'a', secret: 'r'.repeat(40) },
  ];
  const codec = new MacTokenCodec('anpi/test/v1', keys, 8);
  const payload = Buffer.from('01234567');

  it('round-trips a payload, signed with the first key and opened with any', () => {
    const token = codec.sign(payload);
    expect(token).toMatch(/^b[A-Za-z0-9_-]{32}$/);
    expect(codec.open(token)).toEqual({ ok: true, payload });
    const older = new MacTokenCodec('anpi/test/v1', [keys[1]!], 8).sign(payload);
    expect(codec.open(older)).toEqual({ ok: true, payload });
  });

  it('refuses other domains, unknown keys, tampering and malformed input, saying which', () => {
    const token = codec.sign(payload);
    expect(new MacTokenCodec('anpi/other/v1', keys, 8).open(token)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(new MacTokenCodec('anpi/test/v1', [{ id: 'c', secret: 't'.repeat(40) }], 8).open(token)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(codec.open(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toMatchObject({ ok: false });
    for (const bad of ['', 'short', 42, null, `${token}x`]) expect(codec.open(bad)).toEqual({ ok: false, reason: 'malformed' });
    expect(() => codec.sign(Buffer.alloc(3))).toThrow(TypeError);
  });
});

describe('uuid helpers', () => {
  it('converts UUIDs to bytes and back, and derives stable version-4-shaped UUIDs', () => {
    const id = '0190f3c2-7b1e-7a00-8000-00000000abcd';
    expect(uuidString(uuidBytes(id))).toBe(id);
    expect(() => uuidBytes('nope')).toThrow(TypeError);
    expect(deterministicUuid('seed')).toBe(deterministicUuid('seed'));
    expect(deterministicUuid('seed')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
