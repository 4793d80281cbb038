import 'server-only';
import { deriveDataKey, openText, sealText } from '@/lib/crypto';

/**
 * The bind password at rest: AES-256-GCM under a key derived from ONRAMP_SECRET_KEY with its own
 * label, bound to its column as associated data.
 */
const INFO = 'onramp directory bind password';
const AAD = 'directory_settings.bind';

export function encryptBindSecret(plain: string): string {
  return sealText(deriveDataKey(INFO), plain, AAD);
}

export function decryptBindSecret(stored: string): string {
  return openText(deriveDataKey(INFO), stored, AAD);
}
