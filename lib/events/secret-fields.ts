/**
 * Field names that would carry a secret. The event writer refuses them anywhere in `details`, so a
 * careless caller fails loudly in tests instead of leaking a code or password into the audit log.
 */
const ALWAYS_SECRET = new Set(['password', 'passwd', 'passphrase', 'secret', 'token', 'otp', 'credential', 'credentials', 'hash', 'pin', 'cookie', 'authorization']);
const CODE_QUALIFIERS_ALLOWED = new Set(['error', 'status', 'country', 'calling', 'format', 'http', 'reason', 'response', 'lifetime', 'length', 'unit', 'count', 'id']);
const KEY_QUALIFIERS_SECRET = new Set(['api', 'private', 'lookup', 'data', 'secret', 'encryption', 'signing']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function isSecretFieldName(name: string): boolean {
  const parts = words(name);
  if (parts.some((w) => ALWAYS_SECRET.has(w))) return true;
  if (parts.includes('code') && !parts.some((w) => CODE_QUALIFIERS_ALLOWED.has(w))) return true;
  const keyIndex = parts.indexOf('key');
  if (keyIndex > 0 && KEY_QUALIFIERS_SECRET.has(parts[keyIndex - 1]!)) return true;
  return false;
}

/** Paths of every secret-looking field in a value (objects and arrays, recursively). */
export function findSecretFields(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecretFields(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      const here = path ? `${path}.${k}` : k;
      return isSecretFieldName(k) ? [here, ...findSecretFields(v, here)] : findSecretFields(v, here);
    });
  }
  return [];
}
