import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkUserPassword, COMMON_PASSWORD_COUNT, isCommonPassword, PASSWORD_PROBLEMS } from '.';
import { confirmedPasswordSchema } from './schema';

const ADA = { username: 'ada.lovelace', email: 'Ada.Lovelace@Example.com' };
const EMOJI = '🔐';

describe('common passwords', () => {
  it('ships a few hundred, all at least 12 characters (shorter ones fail the length rule anyway)', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(300);
    const listed = [...readFileSync(new URL('./common-passwords.ts', import.meta.url), 'utf8').matchAll(/'([^']+)'/g)].map((m) => m[1]!).filter((p) => p !== 'server-only');
    expect(listed).toHaveLength(COMMON_PASSWORD_COUNT);
    for (const password of listed) {
      expect([...password].length, password).toBeGreaterThanOrEqual(12);
      expect(password, 'listed in lower case').toBe(password.toLowerCase());
    }
  });

  it.each(['password1234', 'Password1234', 'QWERTYUIOP123', '123456789012', 'iloveyou1234', 'P@ssw0rd1234'])('refuses %j in any letter case', (password) => {
    expect(isCommonPassword(password)).toBe(true);
    expect(checkUserPassword(password, ADA)).toBe(PASSWORD_PROBLEMS.common);
  });

  it('accepts passwords that merely contain a common one', () => {
    expect(isCommonPassword('password1234 but longer')).toBe(false);
    expect(checkUserPassword('password1234 but longer', ADA)).toBeUndefined();
  });
});

describe('checkUserPassword', () => {
  it('applies the length rules in code points first', () => {
    expect(checkUserPassword('short', ADA)).toBe('Use at least 12 characters (this has 5).');
    expect(checkUserPassword(EMOJI.repeat(6), ADA)).toBe('Use at least 12 characters (this has 6).');
    expect(checkUserPassword(`${EMOJI.repeat(11)}x`, ADA)).toBeUndefined();
    expect(checkUserPassword(EMOJI.repeat(128), ADA)).toBeUndefined();
    expect(checkUserPassword(EMOJI.repeat(129), ADA)).toBe('Use at most 128 characters (this has 129).');
    expect(checkUserPassword('a'.repeat(128), ADA)).toBeUndefined();
    expect(checkUserPassword('a'.repeat(129), ADA)).toBe('Use at most 128 characters (this has 129).');
  });

  it('has no composition rules: spaces, emoji and any characters are fine', () => {
    expect(checkUserPassword('            ', ADA)).toBeUndefined();
    expect(checkUserPassword('correct horse battery staple', ADA)).toBeUndefined();
    expect(checkUserPassword('Ωμέγα 🔐 pass ключ 鍵', ADA)).toBeUndefined();
  });

  it('refuses the username and the email, in any case', () => {
    expect(checkUserPassword('my ADA.LOVELACE rocks', ADA)).toBe(PASSWORD_PROBLEMS.username);
    expect(checkUserPassword('x ada.lovelace@example.com x', ADA)).toBe(PASSWORD_PROBLEMS.username);
    const other = { username: 'countess', email: 'Ada.Lovelace@Example.com' };
    expect(checkUserPassword('x ada.lovelace@example.com x', other)).toBe(PASSWORD_PROBLEMS.email);
    expect(checkUserPassword('hello Ada.Lovelace friend', other)).toBe(PASSWORD_PROBLEMS.email);
    expect(checkUserPassword('Countess of Lovelace 1815', other)).toBe(PASSWORD_PROBLEMS.username);
  });

  it('ignores a local part or username shorter than 4 characters', () => {
    expect(checkUserPassword('a bob in the garden', { username: 'bob', email: 'bob@example.com' })).toBeUndefined();
    expect(checkUserPassword('a bob@example.com here', { username: 'bob', email: 'bob@example.com' })).toBe(PASSWORD_PROBLEMS.email);
    expect(checkUserPassword('robert in the garden', { username: 'rob', email: 'robert@example.com' })).toBe(PASSWORD_PROBLEMS.email);
  });
});

describe('confirmedPasswordSchema', () => {
  const schema = confirmedPasswordSchema({ token: z.string() });

  it('keeps the other fields and requires the confirmation to match', () => {
    expect(schema.parse({ token: 't', password: 'a fine passphrase', confirmPassword: 'a fine passphrase' })).toEqual({
      token: 't',
      password: 'a fine passphrase',
      confirmPassword: 'a fine passphrase',
    });
    const mismatch = schema.safeParse({ token: 't', password: 'a fine passphrase', confirmPassword: 'a fine passphrasE' });
    expect(mismatch.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['confirmPassword', 'The passwords do not match.']]);
    const short = schema.safeParse({ token: 't', password: 'short', confirmPassword: 'short' });
    expect(short.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['password', 'Use at least 12 characters.']]);
  });
});
