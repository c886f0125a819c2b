import { asTenantId } from '#anpi/db';
import { hashToken, mintOpaqueToken, parseOpaqueToken } from './opaque-token.js';

const tenant = asTenantId('0190f3c2-7b1e-7a00-8000-00000000abcd');

describe('opaque tokens', () => {
  it('round-trips the tenant and hashes the whole token', () => {
    const { token, hash } = mintOpaqueToken('rt', tenant);
    expect(token).toMatch(/^anpi_rt_0190f3c27b1e7a00800000000000abcd_[A-Za-z0-9_-]{43}$/);
    expect(parseOpaqueToken(token, 'rt')).toEqual({ kind: 'rt', tenantId: tenant, hash });
    expect(hash).toBe(hashToken(token));
  });

  it('never mints the same token twice', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => mintOpaqueToken('sk', tenant).token));
    expect(tokens.size).toBe(1000);
  });

  it('refuses the other kind, and anything malformed', () => {
    const { token } = mintOpaqueToken('sk', tenant);
    expect(parseOpaqueToken(token, 'rt')).toBeNull();
    expect(parseOpaqueToken(`${token}x`, 'sk')).toBeNull();
    expect(parseOpaqueToken(token.replace('anpi_sk_', 'anpi_sk_z'), 'sk')).toBeNull();
    expect(parseOpaqueToken('', 'sk')).toBeNull();
  });
});
