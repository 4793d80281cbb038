import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { startChallenge } from '@/lib/mfa';
import { insertEnrolledUser, setTestSettings, TEST_CLIENT } from '@/lib/mfa/testing';
import { resetSmsTransport } from '@/lib/sms';
import {
  signedStatusCallbackRequest,
  startTwilioStandIn,
  statusCallbackParams,
  type SignedCallbackOptions,
  type TwilioStandIn,
} from '@/lib/testing/twilio-stand-in';
import { POST } from './route';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token-not-a-secret';
const APP_URL = 'https://vpn.example.com';
const CALLBACK_URL = `${APP_URL}/api/webhooks/twilio/status`;
const KEYS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_API_BASE_URL', 'APP_URL'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
let twilio: TwilioStandIn;

function useEnv(vars: Partial<Record<(typeof KEYS)[number], string>>) {
  for (const k of KEYS) {
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  resetEnvCache();
  resetSmsTransport();
}
const useTwilio = () =>
  useEnv({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.baseUrl, APP_URL });

beforeAll(async () => {
  twilio = await startTwilioStandIn({ authToken: AUTH_TOKEN });
  await setTestSettings({ smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000 });
});
beforeEach(() => useTwilio());
afterAll(async () => {
  useEnv(saved);
  await twilio.close();
});

/** Sends a real code through the stand-in; returns the user, the message sid and the StatusCallback URL Twilio was given. */
async function sentMessage() {
  const { userId, sessionId } = await insertEnrolledUser();
  const result = await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT });
  if (!result.ok) throw new Error(result.message);
  const request = twilio.requests.at(-1)!;
  return { userId, sid: request.sid!, callbackUrl: request.form.StatusCallback! };
}

const smsBySid = async (sid: string) => (await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.twilioSid, sid)))[0]!;
const deliveryEvents = (userId: string) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.subjectUserId, userId), eq(schema.events.subType, 'Delivery Status')));

const callback = (params: Record<string, string>, options: Partial<SignedCallbackOptions> = {}) =>
  POST(signedStatusCallbackRequest(params, { authToken: AUTH_TOKEN, signedUrl: CALLBACK_URL, ...options }));

describe('POST /api/webhooks/twilio/status', () => {
  it('records the status Twilio reports at the URL it was given, with an event', async () => {
    const { userId, sid, callbackUrl } = await sentMessage();
    expect(callbackUrl).toBe(CALLBACK_URL);
    expect((await smsBySid(sid)).status).toBe('queued');
    const response = await callback(statusCallbackParams({ sid, status: 'sent', accountSid: ACCOUNT_SID }), { signedUrl: callbackUrl });
    expect(response.status).toBe(204);
    expect((await smsBySid(sid)).status).toBe('sent');
    expect(await callback(statusCallbackParams({ sid, status: 'delivered', accountSid: ACCOUNT_SID }))).toHaveProperty('status', 204);
    expect((await smsBySid(sid)).status).toBe('delivered');
    const events = await deliveryEvents(userId);
    expect(events.map((e) => (e.details as { status: string }).status).sort()).toEqual(['delivered', 'sent']);
    expect(events[0]).toMatchObject({ type: 'SMS', actorType: 'system', actorLabel: 'Twilio', outcome: 'success' });
  });

  it('stores an undelivered status with the error code and its plain words', async () => {
    const { userId, sid } = await sentMessage();
    await callback(statusCallbackParams({ sid, status: 'sent' }));
    const response = await callback(statusCallbackParams({ sid, status: 'undelivered', errorCode: 30007, errorMessage: 'Carrier violation' }));
    expect(response.status).toBe(204);
    expect(await smsBySid(sid)).toMatchObject({ status: 'undelivered', errorCode: 30007, errorMessage: 'Carrier violation' });
    const event = (await deliveryEvents(userId)).find((e) => (e.details as { status: string }).status === 'undelivered')!;
    expect(event.outcome).toBe('failure');
    expect(event.details).toMatchObject({ errorCode: 30007, previousStatus: 'sent', problem: '30007: the carrier filtered the message as spam' });
  });

  it('never moves a status backwards', async () => {
    const { userId, sid } = await sentMessage();
    await callback(statusCallbackParams({ sid, status: 'delivered' }));
    expect(await callback(statusCallbackParams({ sid, status: 'sent' }))).toHaveProperty('status', 204);
    expect(await callback(statusCallbackParams({ sid, status: 'delivered' }))).toHaveProperty('status', 204);
    expect((await smsBySid(sid)).status).toBe('delivered');
    expect(await deliveryEvents(userId)).toHaveLength(1);
  });

  it('answers unknown sids with success and changes nothing', async () => {
    const before = await getDb().select().from(schema.smsMessages);
    const response = await callback(statusCallbackParams({ sid: `SM${'0'.repeat(32)}`, status: 'delivered' }));
    expect(response.status).toBe(204);
    expect(await getDb().select().from(schema.smsMessages)).toEqual(before);
  });

  it.each<[string, Partial<SignedCallbackOptions>]>([
    ['no signature', { signature: null }],
    ['a signature made with another auth token', { authToken: 'forged-token' }],
    ['a signature over another URL', { signedUrl: 'https://attacker.example/api/webhooks/twilio/status' }],
    ['a signature over the Host it was sent to instead of APP_URL', {
      signedUrl: 'https://attacker.example/api/webhooks/twilio/status',
      requestUrl: 'https://attacker.example/api/webhooks/twilio/status',
    }],
    ['a signature without the query it was sent with', { requestUrl: `${CALLBACK_URL}?x=1` }],
  ])('refuses %s with 403', async (_name, options) => {
    const { sid } = await sentMessage();
    const response = await callback(statusCallbackParams({ sid, status: 'delivered' }), options);
    expect(response.status).toBe(403);
    expect((await smsBySid(sid)).status).toBe('queued');
  });

  it('refuses a signed body that was altered', async () => {
    const { sid } = await sentMessage();
    const params = statusCallbackParams({ sid, status: 'sent' });
    const request = signedStatusCallbackRequest(params, { authToken: AUTH_TOKEN, signedUrl: CALLBACK_URL });
    const altered = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: new URLSearchParams({ ...params, MessageStatus: 'delivered' }).toString(),
    });
    expect((await POST(altered)).status).toBe(403);
  });

  it('checks the query string as part of the URL, and ignores the Host the request came through', async () => {
    const { sid } = await sentMessage();
    const withQuery = `${CALLBACK_URL}?source=mfa`;
    expect((await callback(statusCallbackParams({ sid, status: 'sent' }), { signedUrl: withQuery })).status).toBe(204);
    const viaProxy = await callback(statusCallbackParams({ sid, status: 'delivered' }), {
      requestUrl: 'http://10.0.0.5:3000/api/webhooks/twilio/status',
    });
    expect(viaProxy.status).toBe(204);
    expect((await smsBySid(sid)).status).toBe('delivered');
  });

  it('answers 404 when Twilio is not configured', async () => {
    useEnv({ APP_URL });
    const response = await callback(statusCallbackParams({ sid: `SM${'1'.repeat(32)}`, status: 'delivered' }));
    expect(response.status).toBe(404);
  });
});
