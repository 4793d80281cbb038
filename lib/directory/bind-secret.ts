import 'server-only';
import { sealedColumn } from '@/lib/crypto';

/**
 * The bind password at rest: AES-256-GCM under a key derived from ONRAMP_SECRET_KEY with its own
 * label, bound to its column as associated data.
 */
const column = sealedColumn('onramp directory bind password', 'directory_settings.bind');

export const encryptBindSecret = column.seal;
export const decryptBindSecret = column.open;
