import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, desc, eq, inArray } from 'drizzle-orm';
import { schema } from '@/db/client';
import { createSession, validateSession } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db';
import { resetEmailTransport } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { getAccountSettings, updateProvisioningSettings } from '@/lib/settings';
import { provisioningSchema } from '@/lib/settings/schemas';
import { insertTestUser } from '@/lib/testing/factories';
import { parseMail, startSmtpSink, type SmtpSink } from '@/lib/testing/smtp-sink';
import { applyBulkAction, createManualUser, updateManualUser, UserInputError } from '.';

const actor = { type: 'admin' as const, id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };
const client = { ip: '203.0.113.5', userAgent: 'vitest' };
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = 'Onramp <vpn@example.com>';
  resetEnvCache();
  resetEmailTransport();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
  resetEnvCache();
  resetEmailTransport();
  await smtp.close();
});

const form = (over: Partial<Parameters<typeof createManualUser>[0]> = {}) => ({
  firstName: 'Grace',
  lastName: 'Hopper',
  email: `grace.${Math.random().toString(36).slice(2, 8)}@example.com`,
  ...over,
});

async function eventsOf(userId: string) {
  return getDb().select().from(schema.events).where(eq(schema.events.subjectUserId, userId));
}

describe('creating a user', () => {
  it('stores E.164, defaults the username to the email, records the event and sends the invitation over SMTP', async () => {
    const before = smtp.messages.length;
    const input = form({ phone: '+447400123456' });
    const created = await createManualUser(input, actor, client);
    expect(created.invitation).toBe('sent');
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, created.id));
    expect(row).toMatchObject({ status: 'invited', source: 'manual', username: input.email, phoneE164: '+447400123456', phoneStatus: 'ok' });
    const events = await eventsOf(created.id);
    expect(events.map((e) => `${e.type}/${e.subType}`)).toEqual(expect.arrayContaining(['User/Created', 'Invitation/Sent']));
    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.envelopeTo).toEqual([input.email]);
    expect(parseMail(mail!.raw).text).toContain('/activate/');
  });

  it('refuses a number without a country code, saying exactly that, and writes nothing', async () => {
    const input = form({ phone: '07400 123456' });
    await expect(createManualUser(input, actor, client)).rejects.toThrow('no country code');
    const [n] = await getDb().select({ n: count() }).from(schema.users).where(eq(schema.users.email, input.email));
    expect(n!.n).toBe(0);
  });

  it('refuses a number that is not valid for its country', async () => {
    const error = await createManualUser(form({ phone: '+44 12' }), actor, client).catch((e) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect(error).toMatchObject({ field: 'phone' });
    expect(error.message).toContain('not a valid phone number');
  });

  it('refuses a duplicate email (case-insensitive) and a duplicate username', async () => {
    const first = await createManualUser(form({ username: 'dup-user' }), actor, client);
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, first.id));
    await expect(createManualUser(form({ email: row!.email.toUpperCase() }), actor, client)).rejects.toMatchObject({ field: 'email' });
    await expect(createManualUser(form({ username: 'DUP-USER' }), actor, client)).rejects.toMatchObject({ field: 'username' });
  });

  it('sends no invitation when the setting is off', async () => {
    const settings = await getAccountSettings();
    await updateProvisioningSettings({ ...settings, inviteManualUsers: false }, actor, client);
    const before = smtp.messages.length;
    const created = await createManualUser(form(), actor, client);
    expect(created.invitation).toBe('not_sent');
    expect(smtp.messages.length).toBe(before);
    await updateProvisioningSettings({ ...settings, inviteManualUsers: true }, actor, client);
  });
});

describe('editing a user', () => {
  it('records before and after of each changed field', async () => {
    const created = await createManualUser(form({ phone: '+447400123456' }), actor, client);
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, created.id));
    const { changed } = await updateManualUser(created.id, { firstName: 'Amazing', lastName: 'Hopper', email: row!.email, phone: '+12025550143' }, actor, client);
    expect(changed).toEqual(['firstName', 'phoneE164']);
    const update = (await eventsOf(created.id)).find((e) => e.subType === 'Updated');
    expect(update!.details).toMatchObject({
      changes: { firstName: { before: 'Grace', after: 'Amazing' }, phoneE164: { before: '+447400123456', after: '+12025550143' } },
    });
  });

  it('refuses to edit a directory user', async () => {
    const user = await insertTestUser({ source: 'directory' });
    await expect(updateManualUser(user.id, { firstName: 'X', lastName: 'Y', email: user.email }, actor, client)).rejects.toThrow('comes from the directory');
  });
});

describe('provisioning settings', () => {
  it('refuse a code lifetime over 7 days on the server', () => {
    const base = { provisioningMethod: 'registration_code', invitationLifetimeDays: '7', codeLifetimeUnit: 'days' };
    expect(provisioningSchema.safeParse({ ...base, codeLifetimeValue: '8' }).success).toBe(false);
    expect(provisioningSchema.safeParse({ ...base, codeLifetimeValue: '169', codeLifetimeUnit: 'hours' }).success).toBe(false);
    expect(provisioningSchema.safeParse({ ...base, codeLifetimeValue: '168', codeLifetimeUnit: 'hours' }).success).toBe(true);
  });

  it('record each change with before and after', async () => {
    const settings = await getAccountSettings();
    await updateProvisioningSettings({ ...settings, notifyDisabledUsers: !settings.notifyDisabledUsers, codeLifetimeValue: 3 }, actor, client);
    const [event] = await getDb().select().from(schema.events).where(eq(schema.events.type, 'Settings')).orderBy(desc(schema.events.id)).limit(1);
    expect(event!.details).toMatchObject({
      section: 'User Provisioning',
      changes: { notifyDisabledUsers: { before: settings.notifyDisabledUsers, after: !settings.notifyDisabledUsers }, codeLifetimeValue: { before: 7, after: 3 } },
    });
    await updateProvisioningSettings(settings, actor, client);
  });
});

describe('bulk actions', () => {
  it('disable 5,000 users in one transaction, ending their sessions, then enable them again', async () => {
    const tag = `bulk${Date.now()}`;
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      email: `${tag}.${i}@example.com`,
      username: `${tag}.${i}`,
      status: 'active' as const,
      passwordHash: i % 2 ? 'x' : null,
    }));
    for (let i = 0; i < rows.length; i += 1000) await getDb().insert(schema.users).values(rows.slice(i, i + 1000));
    const settings = await getAccountSettings();
    if (settings.notifyDisabledUsers) await updateProvisioningSettings({ ...settings, notifyDisabledUsers: false }, actor, client);
    const sample = await insertTestUser({ email: `${tag}.sample@example.com`, passwordHash: 'x' });
    const sid = await createSession(getDb(), { realm: 'user', principalId: sample.id, sessionVersion: sample.sessionVersion, ip: null, userAgent: null });
    expect((await validateSession({ realm: 'user', principalId: sample.id, sessionId: sid, sessionVersion: sample.sessionVersion })).ok).toBe(true);

    const result = await applyBulkAction('disable', { filter: { q: tag } }, actor, client);
    expect(result).toMatchObject({ succeeded: 5001, failed: [], skipped: [] });
    const [disabled] = await getDb()
      .select({ n: count() })
      .from(schema.users)
      .where(and(eq(schema.users.status, 'disabled')));
    expect(disabled!.n).toBeGreaterThanOrEqual(5001);
    expect((await validateSession({ realm: 'user', principalId: sample.id, sessionId: sid, sessionVersion: sample.sessionVersion })).ok).toBe(false);
    const [events] = await getDb().select({ n: count() }).from(schema.events).where(eq(schema.events.subType, 'Disabled'));
    expect(events!.n).toBe(5001);

    const again = await applyBulkAction('disable', { ids: [sample.id] }, actor, client);
    expect(again.skipped).toEqual([{ id: sample.id, email: sample.email, reason: 'Already disabled.' }]);

    const enabled = await applyBulkAction('enable', { filter: { q: tag, status: 'disabled' } }, actor, client);
    expect(enabled.succeeded).toBe(5001);
    const statuses = await getDb()
      .select({ status: schema.users.status, n: count() })
      .from(schema.users)
      .where(inArray(schema.users.email, [rows[0]!.email, rows[1]!.email]))
      .groupBy(schema.users.status);
    expect(Object.fromEntries(statuses.map((s) => [s.status, s.n]))).toEqual({ invited: 1, active: 1 });
  });

  it('delete only manual users; directory users are skipped with the reason', async () => {
    const manual = await insertTestUser();
    const directory = await insertTestUser({ source: 'directory' });
    const result = await applyBulkAction('delete', { ids: [manual.id, directory.id] }, actor, client);
    expect(result.succeeded).toBe(1);
    expect(result.skipped).toEqual([expect.objectContaining({ id: directory.id, reason: expect.stringContaining('directory sync') })]);
    const left = await getDb().select({ id: schema.users.id }).from(schema.users).where(inArray(schema.users.id, [manual.id, directory.id]));
    expect(left).toEqual([{ id: directory.id }]);
  });

  it('reset password clears it, ends sessions, revokes codes and devices, and sends a new activation email', async () => {
    const user = await insertTestUser({ passwordHash: 'x' });
    await getDb().insert(schema.registrationCodes).values({ userId: user.id, lookup: `l-${user.id}`, ciphertext: 'c', expiresAt: new Date(Date.now() + 86_400_000) });
    await getDb().insert(schema.devices).values({ userId: user.id, name: 'Laptop', platform: 'linux', credentialHash: `h-${user.id}` });
    const before = smtp.messages.length;
    const result = await applyBulkAction('reset_password', { ids: [user.id] }, actor, client);
    expect(result).toMatchObject({ succeeded: 1, failed: [] });
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(row).toMatchObject({ passwordHash: null, status: 'invited', sessionVersion: user.sessionVersion + 1 });
    const [code] = await getDb().select().from(schema.registrationCodes).where(eq(schema.registrationCodes.userId, user.id));
    expect(code!.status).toBe('revoked');
    const [device] = await getDb().select().from(schema.devices).where(eq(schema.devices.userId, user.id));
    expect(device!.revokedAt).not.toBeNull();
    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.envelopeTo.map((a) => a.toLowerCase())).toEqual([user.email.toLowerCase()]);
  });

  it('resend invitation skips active users with the reason', async () => {
    const active = await insertTestUser({ passwordHash: 'x' });
    const result = await applyBulkAction('resend_invitation', { ids: [active.id] }, actor, client);
    expect(result.succeeded).toBe(0);
    expect(result.skipped[0]!.reason).toContain('Already active');
  });
});
