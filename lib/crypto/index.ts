import 'server-only';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { getEnv } from '@/lib/env';

/** A URL-safe random token with `bytes` bytes of entropy (default 32 = 256 bits). */
export function generateToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function hmacSha256Hex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const derivedKeys = new Map<string, { secret: Buffer; key: Buffer }>();

/**
 * A 256-bit key for one purpose, derived with HKDF-SHA-256 from ONRAMP_SECRET_KEY under its own
 * label (`info`), so a key for one purpose can never stand in for another's. Cached per label.
 */
export function deriveDataKey(info: string): Buffer {
  const secret = getEnv().ONRAMP_SECRET_KEY;
  const cached = derivedKeys.get(info);
  if (cached?.secret === secret) return cached.key;
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  derivedKeys.set(info, { secret, key });
  return key;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: base64(iv ‖ tag ‖ ciphertext). `aad` binds the value to its place (a row id, a column name). */
export function sealText(key: Buffer, plain: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The text back from sealText's output; throws when the key, the data or the `aad` doesn't match. */
export function openText(key: Buffer, stored: string, aad: string): string {
  const raw = Buffer.from(stored, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/**
 * A secret stored in one settings column (a bind password, an OAuth client secret): AES-256-GCM under
 * a key derived for `info`, bound to `aad` (the column). The plain text never leaves the server.
 */
export function sealedColumn(info: string, aad: string): { seal: (plain: string) => string; open: (stored: string) => string } {
  return {
    seal: (plain) => sealText(deriveDataKey(info), plain, aad),
    open: (stored) => openText(deriveDataKey(info), stored, aad),
  };
}
export { uuidV7 } from './uuid-v7';
