import { REDACTED, redactFailure, redactJobData, redactReturnValue } from './job-redaction.js';

describe('what the queue dashboard shows of a job', () => {
  it('shows ids and counters, and only the type of a LINE event', () => {
    const data = {
      channelKey: 'platform',
      event: { type: 'postback', replyToken: 'r'.repeat(32), source: { userId: 'U123' }, postback: { data: 'safe:token' } },
    };
    expect(redactJobData(data)).toEqual({ channelKey: 'platform', event: { type: 'postback' } });
    expect(redactJobData({ tenantId: 't', broadcastId: 'b', round: 0, batch: 3 })).toEqual({ tenantId: 't', broadcastId: 'b', round: 0, batch: 3 });
  });

  it('hides keys it does not know and values that are not plain', () => {
    expect(redactJobData({ tenantId: 't', employeeId: 'e', code: '123456' })).toEqual({ tenantId: 't', employeeId: 'e', code: REDACTED });
    expect(redactJobData({ tenantId: { nested: 'x' } })).toEqual({ tenantId: REDACTED });
    expect(redactJobData('a string')).toBe(REDACTED);
    expect(redactJobData(undefined)).toBeUndefined();
  });

  it('shows numeric return values only', () => {
    expect(redactReturnValue(12)).toBe(12);
    expect(redactReturnValue({ sent: ['a@example.jp'] })).toBe(REDACTED);
  });

  it('masks addresses, phone numbers and tokens in failure text', () => {
    expect(redactFailure("The 'To' number +81 90-1234-5678 is not valid for taro@example.co.jp")).toBe("The 'To' number [number] is not valid for [email]");
    expect(redactFailure(`token ${'a'.repeat(40)} expired`)).toBe('token [token] expired');
    expect(redactFailure('LINE answered 500 after 3 attempts')).toBe('LINE answered 500 after 3 attempts');
  });
});
