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

/** Field names recur (bulk writers send thousands of events with the same keys): each is judged once. */
const judged = new Map<string, boolean>();
const JUDGED_MAX = 10_000;

export function isSecretFieldName(name: string): boolean {
  let secret = judged.get(name);
  if (secret === undefined) {
    secret = judgeFieldName(name);
    if (judged.size >= JUDGED_MAX) judged.clear();
    judged.set(name, secret);
  }
  return secret;
}

function judgeFieldName(name: string): boolean {
  const parts = words(name);
  if (parts.some((w) => ALWAYS_SECRET.has(w))) return true;
  if (parts.includes('code') && !parts.some((w) => CODE_QUALIFIERS_ALLOWED.has(w))) return true;
  const keyIndex = parts.indexOf('key');
  if (keyIndex > 0 && KEY_QUALIFIERS_SECRET.has(parts[keyIndex - 1]!)) return true;
  return false;
}

/** Paths of every secret-looking field in a value (objects and arrays, recursively). */
export function findSecretFields(value: unknown, path = ''): string[] {
  const found: string[] = [];
  collectSecretFields(value, path, found);
  return found;
}

function collectSecretFields(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectSecretFields(value[i], `${path}[${i}]`, found);
  } else if (value && typeof value === 'object') {
    for (const k in value as Record<string, unknown>) {
      if (!Object.hasOwn(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      // Paths are built only for what is reported or walked into.
      if (isSecretFieldName(k)) found.push(path ? `${path}.${k}` : k);
      if (v && typeof v === 'object') collectSecretFields(v, path ? `${path}.${k}` : k, found);
    }
  }
}
