import 'server-only';
import { sealedColumn } from '@/lib/crypto';

/** The OIDC client secret at rest: AES-256-GCM under its own key derived from ONRAMP_SECRET_KEY, bound to its column. */
const column = sealedColumn('onramp sso client secret', 'sso_settings.client_secret');

export const encryptClientSecret = column.seal;
export const decryptClientSecret = column.open;
