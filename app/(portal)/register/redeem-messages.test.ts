import { describe, expect, it } from 'vitest';
import { describeRefusal } from './redeem-messages';

describe('describeRefusal', () => {
  it('puts problems with the code under the code field, in plain words', () => {
    expect(describeRefusal({ ok: false, code: 'invalid_code_format' })).toEqual({
      field: 'code',
      message: expect.stringContaining('Codes use letters A–Z without I, L, O and digits 2–9'),
    });
    expect(describeRefusal({ ok: false, code: 'code_used' }).message).toContain('already used');
    for (const code of ['code_expired', 'code_revoked', 'code_used'] as const) {
      expect(describeRefusal({ ok: false, code })).toMatchObject({ field: 'code', message: expect.stringContaining('ask your administrator for a new code') });
    }
    expect(describeRefusal({ ok: false, code: 'code_not_found' }).field).toBe('code');
  });

  it('says how many whole minutes to wait when rate limited, and names no account when disabled', () => {
    const wait = (retryAfterSeconds: number) => describeRefusal({ ok: false, code: 'rate_limited', retryAfterSeconds }).message;
    expect(wait(1)).toBe('Too many attempts. Wait 1 minute, then try again.');
    expect(wait(60)).toBe('Too many attempts. Wait 1 minute, then try again.');
    expect(wait(61)).toBe('Too many attempts. Wait 2 minutes, then try again.');
    expect(wait(3_600)).toBe('Too many attempts. Wait 60 minutes, then try again.');
    expect(describeRefusal({ ok: false, code: 'user_disabled' })).toEqual({ message: expect.stringContaining('disabled') });
  });
});
