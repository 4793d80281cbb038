import 'server-only';
import { randomInt } from 'node:crypto';
import { deriveDataKey, hmacSha256Hex, safeEqual } from '@/lib/crypto';

/**
 * SMS codes at rest: HMAC-SHA-256 under a key derived from ONRAMP_SECRET_KEY (HKDF, own label), over
 * the challenge id and the code, so a stored hash is bound to its challenge and a database dump alone
 * can't be brute-forced offline.
 */
const CODE_KEY_INFO = 'onramp mfa sms-code';
const codeKey = () => deriveDataKey(CODE_KEY_INFO);

/** Six digits from the CSPRNG, leading zeros kept. */
export function generateSmsCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** The stored form of a challenge's code. */
export function hashSmsCode(challengeId: string, code: string): string {
  return hmacSha256Hex(codeKey(), `${challengeId}:${code}`);
}

/** Constant-time check of a typed code against the challenge's stored hash. */
export function smsCodeMatches(challengeId: string, code: string, storedHash: string): boolean {
  return safeEqual(hashSmsCode(challengeId, code), storedHash);
}

/** What the user typed, without spaces or dashes ("123 456" → "123456"); null when it isn't six digits. */
export function normaliseSmsCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
