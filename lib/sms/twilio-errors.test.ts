import { describe, expect, it } from 'vitest';
import { describeTwilioError, twilioErrorWords } from '.';

describe('describeTwilioError', () => {
  it.each([
    [21211, /not a valid phone number/],
    [21408, /region not enabled/],
    [21610, /opted out.*STOP/],
    [21614, /not a mobile number/],
    [30003, /unreachable/],
    [30004, /blocked/],
    [30005, /unknown to the carrier/],
    [30006, /landline/],
    [30007, /filtered the message as spam/],
    [30008, /unknown error/],
    [20429, /rate limiting/],
  ])('puts %i in plain words, prefixed with the code', (code, words) => {
    expect(describeTwilioError(code)).toMatch(new RegExp(`^${code}: `));
    expect(describeTwilioError(code)).toMatch(words);
    expect(twilioErrorWords(code)).toMatch(words);
  });

  it('falls back to "Twilio error NNNNN", and gives null for no code', () => {
    expect(describeTwilioError(63016)).toBe('Twilio error 63016');
    expect(twilioErrorWords(63016)).toBeNull();
    expect(describeTwilioError(null)).toBeNull();
  });
});
