import { loggableUrl } from './http-logging.js';

describe('loggableUrl', () => {
  it.each([
    ['/v1/users?search=山田', '/v1/users'],
    ['/a/eyJhbGciOi.secret-token', '/a/[token]'],
    ['/a/abc/confirm', '/a/[token]/confirm'],
    ['/l/link-token?x=1', '/l/[token]'],
    ['/l/link-token/verify', '/l/[token]/verify'],
    ['/l/i/invite-token', '/l/i/[token]'],
    ['/v1/audit-log', '/v1/audit-log'],
    [undefined, ''],
  ])('logs %s as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });
});
