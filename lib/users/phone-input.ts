import 'server-only';
import { normalisePhone } from '@/lib/phone';
import { UserInputError } from './user-errors';

/**
 * A phone number typed by an admin or a user: must carry its country code and be valid for that
 * country. Stored as E.164. Empty means no number.
 */
export function parseEnteredPhone(value: string | undefined): { e164: string | null; status: 'ok' | 'missing'; raw: string | null } {
  const result = normalisePhone(value, null);
  if (result.status === 'missing') return { e164: null, status: 'missing', raw: null };
  if (result.status === 'missing_country_code') {
    throw new UserInputError('phone', 'This number has no country code. Pick the country, or start the number with + and the country code.');
  }
  if (result.status !== 'ok' || !result.e164) {
    throw new UserInputError('phone', `This is not a valid phone number${result.country ? ` for ${result.country}` : ''}. Check the digits and the country.`);
  }
  return { e164: result.e164, status: 'ok', raw: result.raw };
}
