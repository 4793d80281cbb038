import 'server-only';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { canReceiveSms, PHONE_PROBLEMS } from '@/lib/phone';
import { getAccountSettings } from '@/lib/settings';
import type { SendProblem } from './contract';

export type SmsNumberCheck =
  | { ok: true; e164: string; country: string | null }
  | { ok: false; problem: Extract<SendProblem, 'invalid_number' | 'not_mobile' | 'country_not_allowed'>; message: string };

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** "United Kingdom" for GB (the code itself when the name is unknown). */
export function countryName(country: string): string {
  try {
    return regionNames.of(country) ?? country;
  } catch {
    return country;
  }
}

/**
 * The checks made before any SMS is sent (pure: the allow-list is passed in): a valid number for its
 * country, of a type that can receive SMS, in the allow-list when there is one (toll-fraud protection).
 */
export function checkSmsNumber(value: string, allowedCountries: readonly string[]): SmsNumberCheck {
  const trimmed = value.trim();
  const parsed = trimmed.startsWith('+') ? parsePhoneNumberFromString(trimmed) : undefined;
  if (!parsed || !parsed.isValid()) {
    const message = trimmed.startsWith('+') ? PHONE_PROBLEMS.invalid : PHONE_PROBLEMS.missing_country_code;
    return { ok: false, problem: 'invalid_number', message };
  }
  if (!canReceiveSms(parsed.number)) {
    return {
      ok: false,
      problem: 'not_mobile',
      message: 'This number is a landline or another type that can’t receive text messages. Enter a mobile number.',
    };
  }
  const country = parsed.country ?? null;
  if (allowedCountries.length > 0 && (!country || !allowedCountries.includes(country))) {
    const where = country ? `${countryName(country)} (+${parsed.countryCallingCode})` : `+${parsed.countryCallingCode}`;
    const listed = allowedCountries.map(countryName).join(', ');
    return {
      ok: false,
      problem: 'country_not_allowed',
      message: `Text messages can’t be sent to ${where}: your administrator allows SMS only to the listed countries (${listed}).`,
    };
  }
  return { ok: true, e164: parsed.number, country };
}

/**
 * Whether a number can get SMS codes: valid for its country, SMS-capable (mobile or fixed-line-or-mobile)
 * and inside the SMS country allow-list. Form actions use it to show a field error before sending.
 */
export async function validateSmsNumber(e164: string): Promise<{ ok: true } | { ok: false; problem: SendProblem; message: string }> {
  const check = checkSmsNumber(e164, (await getAccountSettings()).smsAllowedCountries);
  return check.ok ? { ok: true } : check;
}
