import { afterAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { resetEmailTransport } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { resetSmsTransport } from '@/lib/sms';
import { isDevOutboxActive, listOutbox, storeOutboxMessage } from '.';

const KEYS = ['SMTP_URL', 'MAIL_FROM', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const;
const savedEnv = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

function useEnv(vars: Partial<Record<(typeof KEYS)[number], string>>): void {
  for (const key of KEYS) {
    const value = vars[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
  resetEmailTransport();
  resetSmsTransport();
}

const smtp = { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'noreply@onramp.test' };
const twilio = { TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+15005550006' };

afterAll(() => useEnv(savedEnv));

describe('listOutbox', () => {
  it('lists newest first, filters by channel and honours the limit', async () => {
    const db = getDb();
    const first = await storeOutboxMessage(db, { channel: 'email', recipient: 'a@example.com', subject: 'One', bodyText: '1', bodyHtml: '<p>1</p>' });
    const second = await storeOutboxMessage(db, { channel: 'sms', recipient: '+14155550123', bodyText: '2' });
    const third = await storeOutboxMessage(db, { channel: 'email', recipient: 'b@example.com', subject: 'Three', bodyText: '3' });

    const all = await listOutbox();
    expect(all.map((m) => m.id)).toEqual([third, second, first]);
    expect(all[2]).toEqual({
      id: first,
      channel: 'email',
      recipient: 'a@example.com',
      subject: 'One',
      bodyText: '1',
      bodyHtml: '<p>1</p>',
      createdAt: expect.any(Date),
    });
    expect(all[1]).toMatchObject({ channel: 'sms', subject: null, bodyHtml: null });
    expect((await listOutbox({ channel: 'email' })).map((m) => m.id)).toEqual([third, first]);
    expect((await listOutbox({ channel: 'sms' })).map((m) => m.id)).toEqual([second]);
    expect((await listOutbox({ limit: 1 })).map((m) => m.id)).toEqual([third]);
  });
});

describe('isDevOutboxActive', () => {
  it.each([
    ['nothing is configured', {}, true],
    ['only SMTP is configured', smtp, true],
    ['only Twilio is configured', twilio, true],
    ['both are configured', { ...smtp, ...twilio }, false],
  ])('is %s → %s', (_name, env, expected) => {
    useEnv(env);
    expect(isDevOutboxActive()).toBe(expected);
  });
});
