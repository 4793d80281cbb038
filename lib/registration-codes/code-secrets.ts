import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { hmacSha256Hex } from '@/lib/crypto';
import { getEnv } from '@/lib/env';
import { poolRandomBytes } from './random-pool';

/**
 * How a code is kept at rest: an HMAC-SHA-256 lookup key (finds the row; a database dump alone
 * can't be brute-forced offline without the server key) and an AES-256-GCM ciphertext (so valid
 * codes can be downloaded again). Both keys are derived from ONRAMP_SECRET_KEY with HKDF, each
 * under its own label, so neither key can stand in for the other.
 */
const LOOKUP_INFO = 'onramp registration-code lookup';
const CIPHER_INFO = 'onramp registration-code encryption';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface CodeKeys {
  lookup: Buffer;
  cipher: Buffer;
}

const derived = new WeakMap<Buffer, CodeKeys>();

function deriveKey(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
}

function codeKeys(): CodeKeys {
  const secret = getEnv().ONRAMP_SECRET_KEY;
  let keys = derived.get(secret);
  if (!keys) {
    keys = { lookup: deriveKey(secret, LOOKUP_INFO), cipher: deriveKey(secret, CIPHER_INFO) };
    derived.set(secret, keys);
  }
  return keys;
}

/** The lookup key of a normalised code. */
export function codeLookup(code: string): string {
  return hmacSha256Hex(codeKeys().lookup, code);
}

/** base64(iv ‖ tag ‖ ciphertext); the user id is bound as associated data, so a row can't borrow another's code. */
export function encryptCode(code: string, userId: string): string {
  const iv = poolRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', codeKeys().cipher, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(userId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** The code back from encryptCode's output; throws when the data or the user id doesn't match. */
export function decryptCode(stored: string, userId: string): string {
  const raw = Buffer.from(stored, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', codeKeys().cipher, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(userId, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
