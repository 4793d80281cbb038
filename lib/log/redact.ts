import { isSecretFieldName } from '@/lib/events/secret-fields';

export const REDACTED = '[redacted]';

/** Path segments after these carry a token in Onramp's links (activation, reset, setup, registration). */
const TOKEN_IN_PATH = /\/(activate|reset-password|setup|register|r)\/[A-Za-z0-9_~.%-]{8,}/g;
/** user:password@ in a URL (SMTP_URL, DATABASE_URL in a driver's error). */
const URL_USERINFO = /\/\/[^\s/@:]+:[^\s/@]+@/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Masks what a string may carry by accident: tokens in links, credentials in URLs, Authorization values. */
export function redactText(text: string): string {
  return text.replace(TOKEN_IN_PATH, `/$1/${REDACTED}`).replace(URL_USERINFO, `//${REDACTED}@`).replace(BEARER, `$1 ${REDACTED}`);
}

/**
 * A copy of log fields fit to write: fields named like a secret (password, token, code, otp, secret…,
 * the same rule the event writer applies) are replaced, strings are passed through redactText.
 */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isSecretFieldName(k) ? REDACTED : redactFields(v, depth + 1)]),
  );
}
