import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { listOutbox } from '@/lib/outbox';
import { startTwilioStandIn, TWILIO_ERRORS, type TwilioStandIn } from '@/lib/testing/twilio-stand-in';
import { rewriteTwilioUri } from './base-url-request-client';
import { getSmsTransport, resetSmsTransport, sendSms, SmsSendError } from '.';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token-not-a-secret';
const MESSAGING_SERVICE_SID = `MG${'fedcba9876543210'.repeat(2)}`;
const TWILIO_KEYS = [
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_API_BASE_URL',
  'TWILIO_EDGE',
  'TWILIO_REGION',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
] as const;
type TwilioEnv = Partial<Record<(typeof TWILIO_KEYS)[number], string>>;
const savedEnv = Object.fromEntries(TWILIO_KEYS.map((k) => [k, process.env[k]]));

function useEnv(vars: TwilioEnv): void {
  for (const key of TWILIO_KEYS) {
    const value = vars[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
  resetSmsTransport();
}

const useTwilio = (baseUrl: string, overrides: TwilioEnv = {}) =>
  useEnv({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: baseUrl,
    TWILIO_FROM: overrides.TWILIO_MESSAGING_SERVICE_SID ? undefined : '+15005550006',
    ...overrides,
  });

const message = {
  to: '+14155550123',
  body: 'Your Onramp code is 123456',
  statusCallbackUrl: 'https://vpn.example.com/api/sms/status',
};

afterAll(() => useEnv(savedEnv));

describe('sendSms through Twilio', () => {
  let twilio: TwilioStandIn;
  beforeAll(async () => {
    twilio = await startTwilioStandIn({ authToken: AUTH_TOKEN });
  });
  afterAll(() => twilio.close());

  it('posts To, From, Body and StatusCallback with Basic auth and returns the sid and status', async () => {
    useTwilio(twilio.baseUrl);
    expect(getSmsTransport().kind).toBe('twilio');
    const before = twilio.requests.length;
    const result = await sendSms(message);
    expect(result.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    expect(twilio.requests.length).toBe(before + 1);
    const request = twilio.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.form).toEqual({
      To: message.to,
      From: '+15005550006',
      Body: message.body,
      StatusCallback: message.statusCallbackUrl,
    });
    expect(request.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  });

  it('leaves StatusCallback out when none is given', async () => {
    useTwilio(twilio.baseUrl);
    await sendSms({ to: message.to, body: message.body });
    expect(twilio.requests.at(-1)!.form).not.toHaveProperty('StatusCallback');
  });

  it('sends MessagingServiceSid instead of From with a messaging service', async () => {
    useTwilio(twilio.baseUrl, { TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    const result = await sendSms(message);
    expect(result.status).toBe('accepted');
    const { form } = twilio.requests.at(-1)!;
    expect(form.MessagingServiceSid).toBe(MESSAGING_SERVICE_SID);
    expect(form).not.toHaveProperty('From');
  });

  it.each(Object.entries(TWILIO_ERRORS))('maps the Twilio error %s to SmsSendError', async (_name, reply) => {
    useTwilio(twilio.baseUrl);
    twilio.failNext(reply);
    const attempt = sendSms(message);
    await expect(attempt).rejects.toBeInstanceOf(SmsSendError);
    await expect(attempt).rejects.toMatchObject({ code: reply.code, status: reply.status, message: reply.message });
  });

  it('maps refused credentials to SmsSendError 20003', async () => {
    useTwilio(twilio.baseUrl, { TWILIO_AUTH_TOKEN: 'wrong-token' });
    await expect(sendSms(message)).rejects.toMatchObject({ name: 'SmsSendError', code: 20003, status: 401 });
  });

  it.each(['4155550123', '+04155550123', '+1 415 555 0123', '+123456', '+1234567890123456', '+1415555012a'])(
    'refuses the malformed number %j without a request',
    async (to) => {
      useTwilio(twilio.baseUrl);
      const before = twilio.requests.length;
      const attempt = sendSms({ ...message, to });
      await expect(attempt).rejects.toBeInstanceOf(SmsSendError);
      await expect(attempt).rejects.toThrow(/E\.164/);
      await expect(attempt).rejects.toMatchObject({ code: undefined, status: undefined });
      expect(twilio.requests.length).toBe(before);
    },
  );

  it('maps an unreachable API to SmsSendError without a code', async () => {
    const gone = await startTwilioStandIn();
    await gone.close();
    useTwilio(gone.baseUrl);
    const attempt = sendSms(message);
    await expect(attempt).rejects.toBeInstanceOf(SmsSendError);
    await expect(attempt).rejects.toThrow(/^Twilio could not be reached: .*ECONNREFUSED/);
    await expect(attempt).rejects.toMatchObject({ code: undefined, status: undefined });
  });
});

describe('rewriteTwilioUri', () => {
  it.each([
    ['https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', 'http://127.0.0.1:9', 'http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json'],
    ['https://api.sydney.au1.twilio.com/2010-04-01/x.json?Page=2', 'http://127.0.0.1:9/', 'http://127.0.0.1:9/2010-04-01/x.json?Page=2'],
    ['https://messaging.twilio.com/v1/Services', 'https://gw.example.com/twilio/', 'https://gw.example.com/twilio/v1/Services'],
    ['https://example.com/not-twilio', 'http://127.0.0.1:9', 'https://example.com/not-twilio'],
    ['https://eviltwilio.com/x', 'http://127.0.0.1:9', 'https://eviltwilio.com/x'],
  ])('%s with base %s → %s', (uri, base, expected) => {
    expect(rewriteTwilioUri(uri, base)).toBe(expected);
  });
});

describe('sendSms without Twilio (dev outbox)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stores the message in the outbox and logs the recipient but not the body', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    useEnv({});
    expect(getSmsTransport().kind).toBe('dev');
    const { sid } = await sendSms(message);
    const [stored] = await listOutbox({ channel: 'sms' });
    expect(stored).toMatchObject({
      id: sid,
      channel: 'sms',
      recipient: message.to,
      subject: null,
      bodyText: message.body,
      bodyHtml: null,
    });
    expect(info.mock.calls).toEqual([[`[outbox] sms to ${message.to}`]]);
  });

  it('refuses a malformed number in dev too', async () => {
    useEnv({});
    const before = (await listOutbox({ channel: 'sms' })).length;
    await expect(sendSms({ ...message, to: '0123' })).rejects.toBeInstanceOf(SmsSendError);
    expect(await listOutbox({ channel: 'sms' })).toHaveLength(before);
  });
});
