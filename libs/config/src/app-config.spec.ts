import { jest } from '@jest/globals';
import { ConfigError, loadConfig, loadConfigOrExit } from './app-config.js';

const required = {
  PLATFORM_API_KEY: 'p'.repeat(32),
  JWT_SECRET: 'j'.repeat(32),
  ANPI_SECRETS_KEY: `a:${Buffer.alloc(32, 7).toString('base64')}`,
  ANSWER_TOKEN_KEYS: `a:${'s'.repeat(32)}`,
};

describe('configuration', () => {
  it('applies defaults that point at the local services', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      port: 3000,
      workerPort: 3001,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/anpi',
      databaseAppUrl: 'postgresql://anpi_app:anpi_app@127.0.0.1:5432/anpi',
      redisUrl: 'redis://127.0.0.1:6379',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives the application role URL from the owner URL unless given', () => {
    expect(loadConfig({ ...required, DATABASE_URL: 'postgres://owner:secret@db.internal:6543/prod', DATABASE_APP_PASSWORD: 's3cr3t' }).databaseAppUrl).toBe(
      'postgres://anpi_app:s3cr3t@db.internal:6543/prod',
    );
    expect(loadConfig({ ...required, DATABASE_APP_URL: 'postgresql://app@x/y' }).databaseAppUrl).toBe('postgresql://app@x/y');
  });

  it('names every missing variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    try {
      loadConfig({});
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PLATFORM_API_KEY: is required',
        'JWT_SECRET: is required',
        'ANPI_SECRETS_KEY: is required',
        'ANSWER_TOKEN_KEYS: is required',
      ]);
    }
  });

  it.each([
    ['PORT', 'eighty', /PORT: /],
    ['PORT', '70000', /PORT: /],
    ['JWT_SECRET', 'short', /JWT_SECRET: must be at least 32 characters/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL', 'not a url', /REDIS_URL: must be a URL starting with redis:\/\/ or rediss:\/\//],
    ['TRUST_PROXY', 'yes', /TRUST_PROXY: must be true or false/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: /],
    ['REDIS_PREFIX', 'has space', /REDIS_PREFIX: must be 1-64 letters/],
    ['ANPI_SECRETS_KEY', 'a:c2hvcnQ=', /ANPI_SECRETS_KEY: each key must be 32 bytes, base64-encoded/],
    ['ANPI_SECRETS_KEY', 'no-id-here', /ANPI_SECRETS_KEY: each entry must be <one-letter key id>:<secret>/],
    ['ANSWER_TOKEN_KEYS', 'a:short', /ANSWER_TOKEN_KEYS: each secret must be at least 32 characters/],
    ['TWILIO_ACCOUNT_SID', 'AC123', /TWILIO_ACCOUNT_SID: must be AC followed by 32 hex digits/],
    ['SMTP_URL', 'http://mail', /SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//],
  ])('refuses a malformed %s (%s), naming it', (name, value, message) => {
    expect(() => loadConfig({ ...required, [name]: value })).toThrow(message);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...required, PORT: '' }).port).toBe(3000);
  });

  it('stops the process with the message and exit code 78, not a stack trace', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('exit called');
    }) as never);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfigOrExit({ ...required, JWT_SECRET: 'short' })).toThrow('exit called');
      expect(exit).toHaveBeenCalledWith(78);
      const written = write.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toContain('Invalid configuration:');
      expect(written).toContain('JWT_SECRET: must be at least 32 characters');
      expect(written).not.toMatch(/\n\s+at /);
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });
});
