import 'server-only';

/** Twilio error codes an admin or user may see, in plain words. */
const TWILIO_ERROR_WORDS: Record<number, string> = {
  20003: 'Twilio refused the account credentials (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)',
  20429: 'Twilio is rate limiting the account: too many messages at once, try again in a minute',
  21211: 'the number is not a valid phone number',
  21408: 'the Twilio account is not allowed to send SMS to this country (region not enabled)',
  21610: 'the recipient opted out of messages from this sender (replied STOP)',
  21614: 'the number is not a mobile number and cannot receive SMS',
  30003: 'the phone is unreachable (switched off or out of coverage)',
  30004: 'the message was blocked (the recipient or their carrier blocks it)',
  30005: 'the number is unknown to the carrier (it may no longer exist)',
  30006: 'the number is a landline or its carrier cannot receive SMS',
  30007: 'the carrier filtered the message as spam',
  30008: 'the carrier reported an unknown error',
};

/**
 * Plain words for a Twilio error code, prefixed with the code ("21211: the number is not a valid
 * phone number"); "Twilio error NNNNN" for codes without a description; null for null.
 */
export function describeTwilioError(code: number | null | undefined): string | null {
  if (code == null) return null;
  const words = TWILIO_ERROR_WORDS[code];
  return words ? `${code}: ${words}` : `Twilio error ${code}`;
}

/** The plain words alone ("the number is not a valid phone number"), or null for codes without a description. */
export function twilioErrorWords(code: number | null | undefined): string | null {
  return code == null ? null : (TWILIO_ERROR_WORDS[code] ?? null);
}
