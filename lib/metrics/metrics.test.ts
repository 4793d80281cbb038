import { afterEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { verifySignIn } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db';
import { pruneEvents } from '@/lib/events';
import { resetEnvCache } from '@/lib/env';
import { redeemCode } from '@/lib/registration-codes/redeem-code';
import { generateTestCode, TEST_CLIENT } from '@/lib/registration-codes/testing';
import { insertTestUser } from '@/lib/testing/factories';
import { authorizeMetrics, collectMetrics, httpMetricsState } from '.';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';

afterEach(() => {
  delete process.env.METRICS_TOKEN;
  delete process.env.ONRAMP_INSTANCE;
  resetEnvCache();
});

/** The value of one sample, by metric name and exact labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(`${name}{`) && line.split(' ')[0] !== name) continue;
    const [series, value] = line.split(/ (?=[^ ]+$)/);
    const inner = series!.slice(name.length + 1, -1).split(/,(?=[a-z_]+=")/);
    if (inner.length === wanted.length && wanted.every((w) => inner.includes(w))) return Number(value);
  }
  return undefined;
}

describe('authorizeMetrics', () => {
  it('is disabled without METRICS_TOKEN and wants exactly the bearer token otherwise', () => {
    expect(authorizeMetrics(`Bearer ${TOKEN}`)).toBe('disabled');
    process.env.METRICS_TOKEN = TOKEN;
    resetEnvCache();
    expect(authorizeMetrics(null)).toBe('unauthorized');
    expect(authorizeMetrics('')).toBe('unauthorized');
    expect(authorizeMetrics(`Basic ${TOKEN}`)).toBe('unauthorized');
    expect(authorizeMetrics(`Bearer ${TOKEN}x`)).toBe('unauthorized');
    expect(authorizeMetrics(`Bearer ${TOKEN.slice(0, -1)}`)).toBe('unauthorized');
    expect(authorizeMetrics(`Bearer ${TOKEN}`)).toBe('ok');
    expect(authorizeMetrics(`bearer  ${TOKEN}`)).toBe('ok');
  });
});

describe('collectMetrics', () => {
  it('counts sign-ins, redemptions, SMS, sync runs, queues and this instance\'s HTTP requests from real records', async () => {
    process.env.ONRAMP_INSTANCE = 'test-a';
    resetEnvCache();
    const user = await insertTestUser();
    // Two failed user sign-ins (wrong password, unknown account) through the real sign-in.
    await expect(verifySignIn('user', user.email, 'not the password at all', TEST_CLIENT)).rejects.toThrow();
    await expect(verifySignIn('user', 'nobody@example.com', 'not the password at all', TEST_CLIENT)).rejects.toThrow();
    // One redemption that works, one of an unknown code.
    const code = await generateTestCode(user.id);
    expect((await redeemCode({ code: code.code, device: { name: 'Laptop', platform: 'macos' } }, TEST_CLIENT)).ok).toBe(true);
    expect((await redeemCode({ code: '2345-6789-ABCD', device: { name: 'Laptop', platform: 'macos' } }, TEST_CLIENT)).ok).toBe(false);
    // SMS as lib/mfa records them: one delivered, two refused by Twilio with 21211.
    await getDb().insert(schema.smsMessages).values([
      { purpose: 'mfa_code', toE164: '+447400123456', transport: 'twilio', status: 'delivered' },
      { purpose: 'mfa_code', toE164: '+15005550001', transport: 'twilio', status: 'refused', errorCode: 21211 },
      { purpose: 'mfa_code', toE164: '+15005550001', transport: 'twilio', status: 'refused', errorCode: 21211 },
    ]);
    // A finished scheduled sync run that took 90 s, and one queued.
    const started = new Date('2030-01-01T00:00:00Z');
    await getDb().insert(schema.directorySyncRuns).values([
      { trigger: 'schedule', status: 'succeeded', requestedByType: 'system', startedAt: started, finishedAt: new Date(started.getTime() + 90_000) },
      { trigger: 'manual', status: 'queued', requestedByType: 'admin' },
    ]);
    const http = httpMetricsState();
    http.requests.set('GET /admin/users/:id 200', { method: 'GET', route: '/admin/users/:id', status: 200, count: 3, seconds: 0.25 });

    const text = await collectMetrics();
    expect(text).toContain('# TYPE onramp_sign_ins_total counter');
    expect(sample(text, 'onramp_sign_ins_total', { realm: 'user', outcome: 'failure', reason: 'invalid' })).toBe(2);
    expect(sample(text, 'onramp_registration_code_redemptions_total', { outcome: 'success', reason: '' })).toBe(1);
    expect(sample(text, 'onramp_registration_code_redemptions_total', { outcome: 'failure', reason: 'code_not_found' })).toBe(1);
    expect(sample(text, 'onramp_sms_messages_total', { status: 'refused', error_code: '21211' })).toBe(2);
    expect(sample(text, 'onramp_sms_messages_total', { status: 'delivered', error_code: '' })).toBe(1);
    expect(sample(text, 'onramp_directory_sync_runs_total', { outcome: 'succeeded', trigger: 'schedule', dry_run: 'false' })).toBe(1);
    expect(sample(text, 'onramp_directory_sync_duration_seconds_sum', { outcome: 'succeeded', trigger: 'schedule', dry_run: 'false' })).toBe(90);
    expect(sample(text, 'onramp_job_queue_depth', { queue: 'directory-sync' })).toBe(1);
    expect(sample(text, 'onramp_http_requests_total', { instance: 'test-a', method: 'GET', route: '/admin/users/:id', status: '200' })).toBe(3);
    expect(sample(text, 'onramp_instance_info', { instance: 'test-a' })).toBe(1);
    // No secret reaches the scrape: not the code, not the password.
    expect(text).not.toContain(code.code);
    expect(text).not.toContain('not the password');
  });

  it('keeps the event-derived counters when the retention job deletes the events they count', async () => {
    const user = await insertTestUser();
    await expect(verifySignIn('user', user.email, 'not the password at all', TEST_CLIENT)).rejects.toThrow();
    const code = await generateTestCode(user.id);
    expect((await redeemCode({ code: code.code, device: { name: 'Phone', platform: 'ios' } }, TEST_CLIENT)).ok).toBe(true);
    const counters = (text: string) => ({
      signInFailures: sample(text, 'onramp_sign_ins_total', { realm: 'user', outcome: 'failure', reason: 'invalid' }),
      redemptions: sample(text, 'onramp_registration_code_redemptions_total', { outcome: 'success', reason: '' }),
    });
    const before = counters(await collectMetrics());
    expect(before.signInFailures).toBeGreaterThanOrEqual(1);
    expect(before.redemptions).toBeGreaterThanOrEqual(1);

    // Every event of this file goes (retention 1 day, a year from now), in batches, twice over.
    const aYearOn = new Date(Date.now() + 365 * 86_400_000);
    expect((await pruneEvents(1, aYearOn)).deleted).toBeGreaterThan(0);
    // Left: only the Events Pruned event the run wrote.
    const left = await getDb().select({ subType: schema.events.subType }).from(schema.events);
    expect(left.map((e) => e.subType)).toEqual(['Events Pruned']);
    expect(counters(await collectMetrics())).toEqual(before);

    // New events add to what was carried over.
    await expect(verifySignIn('user', user.email, 'not the password at all', TEST_CLIENT)).rejects.toThrow();
    expect(counters(await collectMetrics())).toEqual({ ...before, signInFailures: before.signInFailures! + 1 });
    await pruneEvents(1, aYearOn);
    expect(counters(await collectMetrics())).toEqual({ ...before, signInFailures: before.signInFailures! + 1 });
  });
});
