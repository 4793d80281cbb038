import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const AUTH_SECRET = 'a'.repeat(32);
const KEY_HEX = randomBytes(32).toString('hex');
const secrets = { AUTH_SECRET, ONRAMP_SECRET_KEY: KEY_HEX };

/** The EnvError thrown for a set of variables (fails the test when parsing succeeds). */
function envErrorOf(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error(`expected parseEnv to refuse ${JSON.stringify(source)}`);
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'onramp-env-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('parseEnv', () => {
  it('fills in defaults when only the secrets are set', () => {
    const env = parseEnv(secrets);
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      DATA_DIR: './.data',
      APP_URL: 'http://localhost:3000',
      PORT: 3000,
      TRUST_PROXY: 0,
      LOG_LEVEL: 'info',
      AUTH_SECRET,
      generatedSecrets: [],
    });
    expect(env.ONRAMP_SECRET_KEY).toEqual(Buffer.from(KEY_HEX, 'hex'));
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('validates the production settings: metrics token, instance name, shutdown timeout, action encryption key', () => {
    const env = parseEnv({
      ...secrets,
      METRICS_TOKEN: 'm'.repeat(32),
      ONRAMP_INSTANCE: 'onramp-1',
      SHUTDOWN_TIMEOUT_SECONDS: '40',
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(env).toMatchObject({ METRICS_TOKEN: 'm'.repeat(32), ONRAMP_INSTANCE: 'onramp-1', SHUTDOWN_TIMEOUT_SECONDS: 40 });
    expect(parseEnv(secrets).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv(secrets).SHUTDOWN_TIMEOUT_SECONDS).toBe(25);
    expect(envErrorOf({ ...secrets, METRICS_TOKEN: 'short' }).message).toContain('METRICS_TOKEN must be at least 32 characters');
    expect(envErrorOf({ ...secrets, ONRAMP_INSTANCE: 'has spaces' }).message).toContain('ONRAMP_INSTANCE');
    expect(envErrorOf({ ...secrets, SHUTDOWN_TIMEOUT_SECONDS: '0' }).message).toContain('SHUTDOWN_TIMEOUT_SECONDS');
    expect(envErrorOf({ ...secrets, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: 'not-a-key' }).message).toContain('NEXT_SERVER_ACTIONS_ENCRYPTION_KEY must be base64 of 16, 24 or 32 bytes');
  });

  it('treats empty strings as unset and trims the APP_URL trailing slash', () => {
    const env = parseEnv({ ...secrets, DATABASE_URL: '  ', SMTP_URL: '', APP_URL: 'https://vpn.example.com/' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.APP_URL).toBe('https://vpn.example.com');
  });

  it('accepts a postgres URL', () => {
    expect(parseEnv({ ...secrets, DATABASE_URL: 'postgres://u:p@db:5432/onramp' }).DATABASE_URL).toBe(
      'postgres://u:p@db:5432/onramp',
    );
    expect(parseEnv({ ...secrets, DATABASE_URL: 'postgresql://db/onramp' }).DATABASE_URL).toBe('postgresql://db/onramp');
  });

  it.each(['mysql://x', 'not a url', 'postgres://', 'http://db:5432/onramp'])(
    'refuses DATABASE_URL=%j naming the variable',
    (value) => {
      const error = envErrorOf({ ...secrets, DATABASE_URL: value });
      expect(error.message).toContain('DATABASE_URL');
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^DATABASE_URL /);
    },
  );

  it('requires AUTH_SECRET, ONRAMP_SECRET_KEY and APP_URL in production, naming each', () => {
    const prod = { NODE_ENV: 'production', APP_URL: 'https://vpn.example.com' };
    const both = envErrorOf(prod);
    expect(both.problems).toEqual([
      expect.stringMatching(/^AUTH_SECRET .*required in production/),
      expect.stringMatching(/^ONRAMP_SECRET_KEY .*required in production/),
    ]);

    const noAuth = envErrorOf({ ...prod, ONRAMP_SECRET_KEY: KEY_HEX });
    expect(noAuth.message).toContain('AUTH_SECRET');
    expect(noAuth.message).not.toContain('ONRAMP_SECRET_KEY');

    const noKey = envErrorOf({ ...prod, AUTH_SECRET });
    expect(noKey.message).toContain('ONRAMP_SECRET_KEY');
    expect(noKey.message).not.toContain('AUTH_SECRET');

    const noUrl = envErrorOf({ NODE_ENV: 'production', ...secrets });
    expect(noUrl.problems).toEqual([expect.stringMatching(/^APP_URL .*required in production/)]);

    const env = parseEnv({ ...prod, ...secrets });
    expect(env.generatedSecrets).toEqual([]);
    expect(env.APP_URL).toBe('https://vpn.example.com');
  });

  it('derives APP_URL from PORT in development and refuses a non-http APP_URL', () => {
    expect(parseEnv({ ...secrets, PORT: '8080' })).toMatchObject({ PORT: 8080, APP_URL: 'http://localhost:8080' });
    expect(parseEnv({ ...secrets, PORT: '8080', APP_URL: 'https://vpn.example.com' }).APP_URL).toBe('https://vpn.example.com');
    expect(envErrorOf({ ...secrets, APP_URL: 'ftp://vpn.example.com' }).problems).toEqual([
      expect.stringMatching(/^APP_URL must be an http\(s\) URL/),
    ]);
    expect(envErrorOf({ ...secrets, PORT: '70000' }).message).toContain('PORT');
  });

  it('accepts ONRAMP_PROXY_REDIRECTS on or off only', () => {
    expect(parseEnv(secrets).ONRAMP_PROXY_REDIRECTS).toBe('on');
    expect(parseEnv({ ...secrets, ONRAMP_PROXY_REDIRECTS: 'off' }).ONRAMP_PROXY_REDIRECTS).toBe('off');
    expect(envErrorOf({ ...secrets, ONRAMP_PROXY_REDIRECTS: 'maybe' }).problems).toEqual(['ONRAMP_PROXY_REDIRECTS must be on or off']);
  });

  it('refuses a short AUTH_SECRET', () => {
    expect(envErrorOf({ ...secrets, AUTH_SECRET: 'short' }).message).toContain('AUTH_SECRET');
  });

  it.each([
    ['16 bytes of hex', randomBytes(16).toString('hex')],
    ['63 hex characters', KEY_HEX.slice(1)],
    ['31 bytes of base64', randomBytes(31).toString('base64')],
    ['33 bytes of base64', randomBytes(33).toString('base64')],
    ['not base64 at all', 'this is not a key!'],
  ])('refuses an ONRAMP_SECRET_KEY of the wrong length (%s)', (_label, value) => {
    const error = envErrorOf({ AUTH_SECRET, ONRAMP_SECRET_KEY: value });
    expect(error.problems).toEqual([expect.stringMatching(/^ONRAMP_SECRET_KEY must be 32 bytes/)]);
  });

  it('accepts a 32-byte ONRAMP_SECRET_KEY as hex, base64 and base64url', () => {
    const bytes = randomBytes(32);
    for (const written of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url')]) {
      const env = parseEnv({ AUTH_SECRET, ONRAMP_SECRET_KEY: written });
      expect(env.ONRAMP_SECRET_KEY).toEqual(bytes);
      expect(env.generatedSecrets).toEqual([]);
    }
  });

  it('requires ADMIN_PASSWORD with ADMIN_EMAIL and the other way round', () => {
    expect(envErrorOf({ ...secrets, ADMIN_EMAIL: 'admin@example.com' }).problems).toEqual([
      'ADMIN_PASSWORD is required when ADMIN_EMAIL is set',
    ]);
    expect(envErrorOf({ ...secrets, ADMIN_PASSWORD: 'correct horse battery' }).problems).toEqual([
      'ADMIN_EMAIL is required when ADMIN_PASSWORD is set',
    ]);
    expect(envErrorOf({ ...secrets, ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'x' }).message).toContain('ADMIN_EMAIL');
    const env = parseEnv({ ...secrets, ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'correct horse battery' });
    expect(env.ADMIN_EMAIL).toBe('admin@example.com');
  });

  it('refuses a TRUST_PROXY that is not a whole number of hops', () => {
    for (const value of ['abc', '1.5', '-1', '11']) {
      const error = envErrorOf({ ...secrets, TRUST_PROXY: value });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^TRUST_PROXY /);
    }
    expect(parseEnv({ ...secrets, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
  });

  it('refuses a partial Twilio configuration', () => {
    const sid = `AC${'0'.repeat(32)}`;
    expect(envErrorOf({ ...secrets, TWILIO_ACCOUNT_SID: sid }).problems).toEqual([
      expect.stringMatching(/^TWILIO_AUTH_TOKEN .*set together/),
    ]);
    expect(envErrorOf({ ...secrets, TWILIO_AUTH_TOKEN: 'tok' }).problems).toEqual([
      expect.stringMatching(/^TWILIO_ACCOUNT_SID .*set together/),
    ]);
    expect(envErrorOf({ ...secrets, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'tok' }).problems).toEqual([
      expect.stringMatching(/^TWILIO_FROM .*TWILIO_MESSAGING_SERVICE_SID/),
    ]);
    expect(envErrorOf({ ...secrets, TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006' }).message).toContain(
      'TWILIO_ACCOUNT_SID',
    );
    expect(parseEnv({ ...secrets, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006' }).TWILIO_FROM).toBe(
      '+15005550006',
    );
    expect(
      parseEnv({ ...secrets, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'tok', TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}` })
        .TWILIO_MESSAGING_SERVICE_SID,
    ).toBe(`MG${'a'.repeat(32)}`);
  });

  it('requires MAIL_FROM with SMTP_URL and an smtp(s) scheme', () => {
    expect(envErrorOf({ ...secrets, SMTP_URL: 'smtp://mail:25' }).problems).toEqual([
      'MAIL_FROM is required when SMTP_URL is set',
    ]);
    expect(envErrorOf({ ...secrets, SMTP_URL: 'http://mail:25', MAIL_FROM: 'a@b.c' }).message).toContain('SMTP_URL');
    expect(parseEnv({ ...secrets, SMTP_URL: 'smtps://mail:465', MAIL_FROM: 'Onramp <a@b.c>' }).MAIL_FROM).toBe('Onramp <a@b.c>');
  });

  it('lists every problem at once', () => {
    const error = envErrorOf({ NODE_ENV: 'production', APP_URL: 'https://vpn.example.com', DATABASE_URL: 'mysql://x', TRUST_PROXY: 'abc' });
    for (const name of ['DATABASE_URL', 'TRUST_PROXY']) expect(error.message).toContain(name);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it('generates development secrets once under DATA_DIR and reuses them', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const first = parseEnv({ DATA_DIR: dataDir });
    expect(first.generatedSecrets).toEqual(['AUTH_SECRET', 'ONRAMP_SECRET_KEY']);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(first.ONRAMP_SECRET_KEY).toHaveLength(32);

    const file = path.join(dataDir, 'dev-secrets.json');
    expect(existsSync(file)).toBe(true);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(stored.AUTH_SECRET).toBe(first.AUTH_SECRET);

    const second = parseEnv({ DATA_DIR: dataDir });
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(second.ONRAMP_SECRET_KEY).toEqual(first.ONRAMP_SECRET_KEY);
    expect(second.generatedSecrets).toEqual(['AUTH_SECRET', 'ONRAMP_SECRET_KEY']);

    // Another DATA_DIR gets its own secrets.
    const other = parseEnv({ DATA_DIR: tempDir() });
    expect(other.AUTH_SECRET).not.toBe(first.AUTH_SECRET);
  });

  it('generates only the secret that is missing', () => {
    const dataDir = tempDir();
    const env = parseEnv({ DATA_DIR: dataDir, AUTH_SECRET });
    expect(env.AUTH_SECRET).toBe(AUTH_SECRET);
    expect(env.generatedSecrets).toEqual(['ONRAMP_SECRET_KEY']);
    expect(env.ONRAMP_SECRET_KEY).toHaveLength(32);

    const keyOnly = parseEnv({ DATA_DIR: dataDir, ONRAMP_SECRET_KEY: KEY_HEX });
    expect(keyOnly.generatedSecrets).toEqual(['AUTH_SECRET']);
    expect(keyOnly.ONRAMP_SECRET_KEY).toEqual(Buffer.from(KEY_HEX, 'hex'));
  });
});
