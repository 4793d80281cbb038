import { describe, expect, it } from 'vitest';
import { canReceiveSms, maskPhone, normalisePhone } from '.';

describe('normalisePhone', () => {
  it('keeps an international number as E.164', () => {
    expect(normalisePhone('+44 7400 123456')).toMatchObject({ status: 'ok', e164: '+447400123456', country: 'GB', problem: null });
    expect(normalisePhone('0044 7400 123456')).toMatchObject({ status: 'ok', e164: '+447400123456' });
  });
  it('refuses to guess a country: a national number without a default region is flagged', () => {
    const r = normalisePhone('07400 123456');
    expect(r).toMatchObject({ status: 'missing_country_code', e164: null, raw: '07400 123456' });
    expect(r.problem).toContain('no country code');
  });
  it('assumes the default region when one is set, and says so', () => {
    expect(normalisePhone('07400 123456', 'GB')).toMatchObject({ status: 'country_assumed', e164: '+447400123456' });
  });
  it('flags invalid and missing numbers', () => {
    expect(normalisePhone('+44 12')).toMatchObject({ status: 'invalid', e164: null });
    expect(normalisePhone('12345', 'US')).toMatchObject({ status: 'invalid' });
    expect(normalisePhone('   ')).toMatchObject({ status: 'missing', raw: null });
    expect(normalisePhone(null)).toMatchObject({ status: 'missing' });
  });
  it('knows which numbers can receive SMS', () => {
    expect(canReceiveSms('+447400123456')).toBe(true);
    expect(canReceiveSms('+442079460958')).toBe(false);
    expect(canReceiveSms('+14155550123')).toBe(true); // fixed line or mobile
    expect(canReceiveSms('+447000000000')).toBe(false); // personal number, not a mobile
    expect(canReceiveSms('+12025550143')).toBe(true);
  });
  it('masks all but the calling code and the last four digits', () => {
    expect(maskPhone('+447400128750')).toBe('+44 •••• ••8750');
  });
});
