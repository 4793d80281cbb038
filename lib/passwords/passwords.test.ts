import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordLength,
  verifyPassword,
} from '.';
import { PASSWORD_MAX, PASSWORD_MIN, passwordField } from './schema';

const EMOJI = '🔐'; // one code point, two UTF-16 units

describe('password hashing', () => {
  it('hashes with argon2id and a per-password salt', async () => {
    const password = 'correct horse battery staple';
    const [a, b] = await Promise.all([hashPassword(password), hashPassword(password)]);
    for (const h of [a, b]) {
      expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
      expect(h).not.toContain(password);
    }
    expect(a).not.toBe(b);
    // The salt (the fourth field) differs, not just the digest.
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('refuses when there is no hash, or the hash is malformed', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword(undefined, 'anything at all')).toBe(false);
    expect(await verifyPassword('', 'anything at all')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });

  it('verifies passwords with astral characters', async () => {
    const password = `${EMOJI.repeat(11)}x`;
    const hash = await hashPassword(password);
    expect(await verifyPassword(hash, password)).toBe(true);
    expect(await verifyPassword(hash, `${EMOJI.repeat(11)}y`)).toBe(false);
  });
});

describe('new-password rules', () => {
  it('counts code points, so an emoji counts once', () => {
    expect(passwordLength(EMOJI)).toBe(1);
    expect(EMOJI.length).toBe(2);
    expect(passwordLength(`${EMOJI.repeat(11)}x`)).toBe(12);
  });

  it('enforces the minimum length', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(checkNewPassword('a'.repeat(12))).toBeUndefined();
    expect(checkNewPassword('a'.repeat(11))).toBe('Use at least 12 characters (this has 11).');
    expect(checkNewPassword('')).toBe('Use at least 12 characters (this has 0).');
    // 11 emoji + 1 character is 12 code points (23 UTF-16 units): accepted.
    expect(checkNewPassword(`${EMOJI.repeat(11)}x`)).toBeUndefined();
    // 6 emoji is 12 UTF-16 units but only 6 characters: refused.
    expect(checkNewPassword(EMOJI.repeat(6))).toBe('Use at least 12 characters (this has 6).');
  });

  it('enforces the maximum length', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(128);
    expect(checkNewPassword('a'.repeat(128))).toBeUndefined();
    expect(checkNewPassword('a'.repeat(129))).toBe('Use at most 128 characters (this has 129).');
    // 128 emoji are 256 UTF-16 units but 128 characters: accepted.
    expect(checkNewPassword(EMOJI.repeat(128))).toBeUndefined();
    expect(checkNewPassword(EMOJI.repeat(129))).toBe('Use at most 128 characters (this has 129).');
  });

  it('has no composition rules', () => {
    expect(checkNewPassword('aaaaaaaaaaaa')).toBeUndefined();
    expect(checkNewPassword('            ')).toBeUndefined();
  });
});

describe('passwordField schema', () => {
  it('agrees with the server-side limits', () => {
    expect(PASSWORD_MIN).toBe(PASSWORD_MIN_LENGTH);
    expect(PASSWORD_MAX).toBe(PASSWORD_MAX_LENGTH);
  });

  it.each([
    ['12 letters', 'a'.repeat(12), true],
    ['128 letters', 'a'.repeat(128), true],
    ['11 emoji + 1 letter', `${EMOJI.repeat(11)}x`, true],
    ['128 emoji', EMOJI.repeat(128), true],
    ['11 letters', 'a'.repeat(11), false],
    ['6 emoji', EMOJI.repeat(6), false],
    ['129 letters', 'a'.repeat(129), false],
    ['129 emoji', EMOJI.repeat(129), false],
  ])('%s → valid: %s', (_label, value, valid) => {
    const result = passwordField.safeParse(value);
    expect(result.success).toBe(valid);
    expect(checkNewPassword(value) === undefined).toBe(valid);
  });

  it('explains what is wrong', () => {
    const short = passwordField.safeParse('short');
    expect(short.success).toBe(false);
    expect(short.error?.issues.map((i) => i.message)).toEqual(['Use at least 12 characters.']);
    const long = passwordField.safeParse('a'.repeat(129));
    expect(long.error?.issues.map((i) => i.message)).toEqual(['Use at most 128 characters.']);
    expect(passwordField.safeParse(12345678901234).success).toBe(false);
  });
});
