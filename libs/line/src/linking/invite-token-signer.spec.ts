import { AnswerTokenSigner } from '#anpi/alerts';
import type { AppConfig } from '#anpi/config';
import { asTenantId } from '#anpi/db';
import { InviteTokenSigner } from './invite-token-signer.js';

const config = {
  answerTokenKeys: [
    { id: 'b', secret: 'x'.repeat(32) },
    { id: 'a', secret: 'y'.repeat(32) },
  ],
} as unknown as AppConfig;
const claims = { tenantId: asTenantId('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'), employeeId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' };

describe('InviteTokenSigner', () => {
  const signer = new InviteTokenSigner(config);

  it('round-trips tenant and employee', () => {
    expect(signer.verify(signer.sign(claims))).toEqual(claims);
  });

  it('refuses tampered, expired and malformed tokens', () => {
    const token = signer.sign(claims);
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect(signer.verify(flipped)).toBeNull();
    expect(signer.verify(signer.sign(claims, new Date(Date.now() - 1000)))).toBeNull();
    expect(signer.verify('short')).toBeNull();
    expect(signer.verify(undefined)).toBeNull();
  });

  it('never accepts an answer link token, though both have the same shape', () => {
    const answer = new AnswerTokenSigner(config).sign({
      broadcastId: claims.tenantId,
      recipientId: claims.employeeId,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(answer).toHaveLength(71);
    expect(signer.verify(answer)).toBeNull();
  });
});
