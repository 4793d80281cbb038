import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Usable for SMS, or what is wrong with it. Mirrors the users.phone_status column. */
export type PhoneStatus = 'ok' | 'country_assumed' | 'missing_country_code' | 'invalid' | 'missing';

export interface NormalisedPhone {
  status: PhoneStatus;
  /** E.164 when the number is valid (ok or country_assumed). */
  e164: string | null;
  /** The value as given, trimmed. */
  raw: string | null;
  country: string | null;
  /** Plain words for admins and users: what is wrong and what to do. */
  problem: string | null;
}

const SMS_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export const PHONE_PROBLEMS: Record<Exclude<PhoneStatus, 'ok'>, string> = {
  country_assumed: 'No country code: the default country was assumed.',
  missing_country_code:
    'This number has no country code, so SMS will fail. Enter it with + and the country code (for example +44 7400 123456), or pick the country.',
  invalid: 'This is not a valid phone number for its country.',
  missing: 'No phone number.',
};

/**
 * Normalises a phone number to E.164. A value starting with + (or 00) carries its country code.
 * Without one, `defaultRegion` is assumed when given (status country_assumed); otherwise the number
 * can't be placed (missing_country_code) — the most common reason SMS codes never arrive.
 */
export function normalisePhone(value: string | null | undefined, defaultRegion?: string | null): NormalisedPhone {
  const raw = value?.trim() || null;
  if (!raw) return { status: 'missing', e164: null, raw: null, country: null, problem: PHONE_PROBLEMS.missing };
  const international = raw.startsWith('+') || raw.startsWith('00');
  const candidate = raw.startsWith('00') ? `+${raw.slice(2)}` : raw;
  if (!international && !defaultRegion) {
    return { status: 'missing_country_code', e164: null, raw, country: null, problem: PHONE_PROBLEMS.missing_country_code };
  }
  const parsed = international
    ? parsePhoneNumberFromString(candidate)
    : parsePhoneNumberFromString(candidate, defaultRegion as CountryCode);
  if (!parsed || !parsed.isValid()) {
    return { status: 'invalid', e164: null, raw, country: parsed?.country ?? null, problem: PHONE_PROBLEMS.invalid };
  }
  const status: PhoneStatus = international ? 'ok' : 'country_assumed';
  return { status, e164: parsed.number, raw, country: parsed.country ?? null, problem: status === 'ok' ? null : PHONE_PROBLEMS.country_assumed };
}

/** True for numbers of a type that can receive SMS (mobile, or fixed-line-or-mobile). */
export function canReceiveSms(e164: string): boolean {
  const parsed = parsePhoneNumberFromString(e164);
  const type = parsed?.getType();
  // A number whose type the metadata can't tell is refused too: SMS must be known to reach it.
  return !!parsed?.isValid() && type !== undefined && SMS_TYPES.has(type);
}

/** `+44 •••• ••8750`: the calling code and the last four digits. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const cc = parsed ? `+${parsed.countryCallingCode}` : e164.slice(0, 3);
  const national = parsed ? parsed.nationalNumber : e164.slice(3);
  const last = national.slice(-4);
  const hidden = '•'.repeat(Math.max(0, national.length - 4)).match(/.{1,4}/g) ?? [];
  const groups = hidden.length ? [...hidden.slice(0, -1), `${hidden.at(-1)}${last}`] : [last];
  return `${cc} ${groups.join(' ')}`;
}
