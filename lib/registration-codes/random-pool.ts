import 'server-only';
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 64 * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `count` bytes from the CSPRNG, cut from a 64 KB block filled at once: a bulk generation needs two
 * small draws per code (its symbols, its IV), and one OpenSSL call per draw costs more than the rest.
 * Each byte is handed out once; a used-up block is replaced, never refilled, so a returned view
 * never changes.
 */
export function poolRandomBytes(count: number): Buffer {
  if (count > POOL_BYTES) return randomFillSync(Buffer.alloc(count));
  if (offset + count > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + count);
  offset += count;
  return bytes;
}
