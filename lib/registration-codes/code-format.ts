import 'server-only';
import { poolRandomBytes } from './random-pool';

/**
 * Registration codes are drawn from 31 symbols that can't be mistaken for one another: no 0/O,
 * 1/I/L. People read them off a screen or paper, so input forgives case, spaces and hyphens.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const MIN_CODE_LENGTH = 10;
export const MAX_CODE_LENGTH = 24;
export const DEFAULT_CODE_LENGTH = 12;
const GROUPS_OF_FOUR = /.{1,4}/g;

/** The alphabet in either case, ASCII only (so no Unicode case mapping can turn 'ß' into 'SS'). */
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}${CODE_ALPHABET.toLowerCase()}]+$`);

/** The largest multiple of the alphabet's size that fits in a byte: bytes at or above it are drawn again. */
const UNBIASED_BYTES = 256 - (256 % CODE_ALPHABET.length);

/**
 * A fresh code of `length` symbols from the CSPRNG. Each symbol is one random byte below
 * UNBIASED_BYTES taken modulo 31 (bytes above are rejected, so there is no modulo bias); the bytes
 * come from the pooled CSPRNG (random-pool.ts), one draw per code with a few spare for rejections.
 */
export function generateCodeValue(length: number = DEFAULT_CODE_LENGTH): string {
  if (!Number.isInteger(length) || length < MIN_CODE_LENGTH || length > MAX_CODE_LENGTH) {
    throw new RangeError(`A registration code has ${MIN_CODE_LENGTH} to ${MAX_CODE_LENGTH} symbols, not ${length}.`);
  }
  let code = '';
  while (code.length < length) {
    for (const byte of poolRandomBytes(length - code.length + 4)) {
      if (byte < UNBIASED_BYTES) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
      if (code.length === length) break;
    }
  }
  return code;
}

/** The display form: groups of four joined by hyphens (XXXX-XXXX-XXXX). */
export function formatCode(code: string): string {
  return code.match(GROUPS_OF_FOUR)?.join('-') ?? '';
}

/**
 * The canonical form of what someone typed, or undefined when it can't be a code: upper-cased with
 * spaces and hyphens removed; every other symbol must be in the alphabet and the length in range.
 * Lengths across the whole settable range are accepted because a code keeps the length it was
 * generated with when the setting changes later.
 */
export function normaliseCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]+/g, '');
  if (compact.length < MIN_CODE_LENGTH || compact.length > MAX_CODE_LENGTH) return undefined;
  return CODE_PATTERN.test(compact) ? compact.toUpperCase() : undefined;
}
