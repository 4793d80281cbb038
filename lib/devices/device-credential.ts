import 'server-only';
import { generateToken, sha256Hex } from '@/lib/crypto';

/**
 * A fresh 256-bit bearer credential: the token for the client to keep, and the SHA-256 that is all
 * the devices table stores of it.
 */
export function newDeviceCredential(): { token: string; credentialHash: string } {
  const token = generateToken(32);
  return { token, credentialHash: sha256Hex(token) };
}
