import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import type { SmtpSink } from '@/lib/testing/smtp-sink';
import { activateAccount, createInvitation, deliverInvitation, getInvitationState, inspectInvitation, inviteUser, sendAccountNotice, sweepExpiredInvitations } from '.';
import { dumpSecretsTables, eventsOf, kindsOf, mailsTo, startMailSink, stopMailSink, tokenFrom, useSettings } from './mail-test-support';

const ADMIN = { type: 'admin', id: '00000000-0000-4000-8000-000000000001', label: 'grace@example.com' } as const;
const CLIENT = { ip: '203.0.113.7', userAgent: 'AdminBrowser/1.0' };
const DAY = 86_400_000;
const invite = (userId: string, resend = false) => inviteUser(userId, { actor: ADMIN, client: CLIENT, resend });

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startMailSink({ rejectRecipient: (a) => (a.startsWith('bounce') ? '5.1.1 No such mailbox' : undefined) });
});
afterAll(() => stopMailSink(sink));
afterEach(async () => {
  resetClock();
  await useSettings({ organisationName: 'Onramp', invitationLifetimeDays: 7 });
});

const invitedUser = (overrides: Parameters<typeof insertTestUser>[0] = {}) => insertTestUser({ status: 'invited', passwordHash: null, ...overrides });

describe('the invitation email', () => {
  it('goes over SMTP to the stored address, with the organisation, username, link and expiry in text and HTML', async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    await useSettings({ organisationName: 'Acme & Sons' });
    const user = await invitedUser({ firstName: 'Ada', username: 'ada.lovelace' });

    expect(await invite(user.id)).toEqual({ ok: true });

    const [mail] = mailsTo(sink, user.email);
    expect(mail).toBeDefined();
    // Only the stored address (nodemailer writes the domain in lower case).
    expect(mail!.header('to')).toBe(user.email.replace(/@.*/, (d) => d.toLowerCase()));
    expect(sink.messages.at(-1)!.envelopeTo).toEqual([user.email.replace(/@.*/, (d) => d.toLowerCase())]);
    expect(mail!.header('subject')).toBe('Activate your Acme & Sons VPN account');
    const token = tokenFrom(mail!.text, 'activate');
    const link = `http://localhost:3000/activate/${token}`;
    for (const expected of ['Hello Ada,', 'Acme & Sons has created a VPN account for you', 'Your username: ada.lovelace', link, 'expires on Monday, 11 March 2030 at 08:00 UTC']) {
      expect(mail!.text).toContain(expected);
    }
    expect(mail!.html).toContain(`<a href="${link}"`);
    expect(mail!.html).toContain('Acme &amp; Sons has created a VPN account for you');
    expect(mail!.html).toContain('<strong>ada.lovelace</strong>');
    expect(mail!.html).toContain('11 March 2030 at 08:00 UTC');
    // The link opens the activation page for this user.
    expect(await inspectInvitation(token)).toEqual({ state: 'valid', organisationName: 'Acme & Sons', username: 'ada.lovelace' });
  });

  it('escapes what users and admins typed in the HTML', async () => {
    await useSettings({ organisationName: '<script>alert(1)</script>' });
    const user = await invitedUser({ firstName: '<b>Eve</b>', username: `eve"<img src=x>${Date.now()}` });
    await invite(user.id);
    const [mail] = mailsTo(sink, user.email);
    expect(mail!.html).not.toMatch(/<script>|<img|<b>Eve/);
    expect(mail!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail!.html).toContain('Hello &lt;b&gt;Eve&lt;/b&gt;,');
  });

  it('stores the token only as its SHA-256, and the events never carry it', async () => {
    const user = await invitedUser();
    const issued = await getDb().transaction((tx) => createInvitation(tx, { userId: user.id, actor: ADMIN, client: CLIENT, resend: false }));
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [row] = await getDb().select().from(schema.singleUseTokens).where(eq(schema.singleUseTokens.subjectId, user.id));
    expect(row).toMatchObject({ purpose: 'invitation', tokenHash: sha256Hex(issued.token), usedAt: null, invalidatedAt: null });
    expect(row!.expiresAt).toEqual(issued.expiresAt);

    const [sent] = await eventsOf(user.id);
    expect(sent).toMatchObject({
      type: 'Invitation',
      subType: 'Sent',
      actorType: 'admin',
      actorLabel: 'grace@example.com',
      ip: CLIENT.ip,
      userAgent: CLIENT.userAgent,
      details: { email: user.email, expiresAt: issued.expiresAt.toISOString() },
    });
    expect(await dumpSecretsTables()).not.toContain(issued.token);
  });

  it('is not issued when the transaction that creates it rolls back', async () => {
    const user = await invitedUser();
    await expect(
      getDb().transaction(async (tx) => {
        await createInvitation(tx, { userId: user.id, actor: ADMIN, client: CLIENT, resend: false });
        throw new Error('the user creation failed');
      }),
    ).rejects.toThrow('the user creation failed');
    expect(await getInvitationState(user.id)).toEqual({ state: 'none' });
    expect(await eventsOf(user.id)).toEqual([]);
  });
});

describe('resending', () => {
  it('invalidates the earlier link and records Resent', async () => {
    const user = await invitedUser();
    await invite(user.id);
    advanceClock(60_000);
    await invite(user.id, true);

    const [first, second] = mailsTo(sink, user.email);
    const firstToken = tokenFrom(first!.text, 'activate');
    const secondToken = tokenFrom(second!.text, 'activate');
    expect(secondToken).not.toBe(firstToken);
    expect(await inspectInvitation(firstToken)).toEqual({ state: 'invalidated' });
    expect((await inspectInvitation(secondToken)).state).toBe('valid');
    expect(kindsOf(await eventsOf(user.id))).toEqual(['Invitation/Sent', 'Invitation/Resent']);
    expect((await getInvitationState(user.id)).state).toBe('pending');
  });
});

describe('expiry', () => {
  it('lasts 7 days by default, follows the clock, and records Expired once when the link is opened late', async () => {
    const start = new Date('2030-03-04T08:00:00.000Z');
    setClock(start);
    const user = await invitedUser();
    await invite(user.id);
    const token = tokenFrom(mailsTo(sink, user.email)[0]!.text, 'activate');
    expect(await getInvitationState(user.id)).toEqual({ state: 'pending', sentAt: start, expiresAt: new Date(start.getTime() + 7 * DAY) });

    advanceClock(7 * DAY - 1000);
    expect((await inspectInvitation(token)).state).toBe('valid');
    advanceClock(1000);
    expect(await inspectInvitation(token)).toEqual({ state: 'expired' });
    expect(await inspectInvitation(token, CLIENT)).toEqual({ state: 'expired' });
    expect((await getInvitationState(user.id)).state).toBe('expired');

    const expired = (await eventsOf(user.id)).filter((e) => e.subType === 'Expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ type: 'Invitation', actorType: 'anonymous', details: { email: user.email, expiresAt: '2030-03-11T08:00:00.000Z' } });

    // A new invitation, once expired too, is recorded again.
    await invite(user.id, true);
    const renewed = tokenFrom(mailsTo(sink, user.email)[1]!.text, 'activate');
    advanceClock(7 * DAY);
    await Promise.all([inspectInvitation(renewed), inspectInvitation(renewed)]);
    expect((await eventsOf(user.id)).filter((e) => e.subType === 'Expired')).toHaveLength(2);
  });

  it.each([1, 30])('follows the invitation lifetime setting (%i days)', async (days) => {
    const start = new Date('2030-03-04T08:00:00.000Z');
    setClock(start);
    await useSettings({ invitationLifetimeDays: days });
    const user = await invitedUser();
    await invite(user.id);
    const { expiresAt } = await getInvitationState(user.id);
    expect(expiresAt!.getTime() - start.getTime()).toBe(days * DAY);
    const token = tokenFrom(mailsTo(sink, user.email)[0]!.text, 'activate');
    advanceClock(days * DAY - 1);
    expect((await inspectInvitation(token)).state).toBe('valid');
    advanceClock(1);
    expect((await inspectInvitation(token)).state).toBe('expired');
  });

  it('the sweep records Expired once for lapsed links of invited users, and a late opening adds none', async () => {
    const start = new Date('2031-05-06T09:00:00.000Z');
    setClock(start);
    const [lapsed, openedLate, raced, activated, disabled, fresh] = await Promise.all([invitedUser(), invitedUser(), invitedUser(), invitedUser(), invitedUser(), invitedUser()]);
    for (const u of [lapsed, openedLate, raced, activated, disabled]) await invite(u.id);
    const linkOf = (email: string) => tokenFrom(mailsTo(sink, email)[0]!.text, 'activate');
    expect((await activateAccount({ token: linkOf(activated.email), password: 'correct horse battery staple 42' }, CLIENT)).ok).toBe(true);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, disabled.id));
    advanceClock(7 * DAY - 1000);
    await invite(fresh.id);
    advanceClock(1000);

    // Opened late before the sweep: the sweep does not record it again.
    expect(await inspectInvitation(linkOf(openedLate.email), CLIENT)).toEqual({ state: 'expired' });
    const [first, second] = await Promise.all([sweepExpiredInvitations(), sweepExpiredInvitations(), inspectInvitation(linkOf(raced.email))]);
    expect(first! + second!).toBeGreaterThanOrEqual(1);

    const expiredOf = async (userId: string) => (await eventsOf(userId)).filter((e) => e.subType === 'Expired');
    const [onLapsed] = await expiredOf(lapsed.id);
    expect(onLapsed).toMatchObject({ type: 'Invitation', actorType: 'system', details: { email: lapsed.email, expiresAt: '2031-05-13T09:00:00.000Z' } });
    for (const u of [lapsed, openedLate, raced]) expect(await expiredOf(u.id)).toHaveLength(1);
    for (const u of [activated, disabled, fresh]) expect(await expiredOf(u.id)).toHaveLength(0);

    // Nothing left to record; opening a recorded link late adds nothing either.
    expect(await sweepExpiredInvitations()).toBe(0);
    await inspectInvitation(linkOf(lapsed.email), CLIENT);
    expect(await expiredOf(lapsed.id)).toHaveLength(1);
    // The still-valid link lapses later and is recorded then.
    advanceClock(7 * DAY);
    expect(await sweepExpiredInvitations()).toBeGreaterThanOrEqual(1);
    expect(await expiredOf(fresh.id)).toHaveLength(1);
  });

  it('the database refuses a lifetime outside 1 to 30 days', async () => {
    await expect(useSettings({ invitationLifetimeDays: 31 })).rejects.toThrow();
    await expect(useSettings({ invitationLifetimeDays: 0 })).rejects.toThrow();
  });
});

describe('inviteUser', () => {
  it('refuses a disabled or already-active user with a reason, and sends nothing', async () => {
    const disabled = await insertTestUser({ status: 'disabled' });
    const active = await insertTestUser({ status: 'active', passwordHash: 'x' });
    const before = sink.messages.length;
    expect(await invite(disabled.id)).toEqual({ ok: false, reason: 'The user is disabled: enable them before sending an invitation.' });
    expect(await invite(active.id)).toEqual({
      ok: false,
      reason: 'The user has already activated their account: use Reset password to send a new activation link.',
    });
    expect(await invite('00000000-0000-4000-8000-00000000dead')).toEqual({ ok: false, reason: 'The user no longer exists.' });
    expect(sink.messages.length).toBe(before);
    expect(await getInvitationState(disabled.id)).toEqual({ state: 'none' });
    expect(await eventsOf(active.id)).toEqual([]);
  });

  it('reports an SMTP refusal clearly and records Delivery Failed (the link stays issued for a resend)', async () => {
    const user = await invitedUser({ email: `bounce.${Date.now()}@example.com` });
    const result = await invite(user.id);
    expect(result.ok).toBe(false);
    const reason = (result as { reason: string }).reason;
    expect(reason).toMatch(new RegExp(`^Email to ${user.email.replace(/\./g, '\\.')} was not sent: .*550.*No such mailbox`));
    const events = await eventsOf(user.id);
    expect(kindsOf(events)).toEqual(['Invitation/Sent', 'Invitation/Delivery Failed']);
    expect(events[1]).toMatchObject({ outcome: 'failure', actorType: 'system', details: { email: user.email, reason } });
    expect((await getInvitationState(user.id)).state).toBe('pending');
  });

  it('deliverInvitation refuses a user who no longer exists', async () => {
    expect(await deliverInvitation({ userId: '00000000-0000-4000-8000-00000000beef', token: 'x'.repeat(43), expiresAt: new Date() })).toEqual({
      ok: false,
      reason: 'The user no longer exists.',
    });
  });
});

describe('getInvitationState', () => {
  it('is none, then pending, then accepted once the link is used', async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    const user = await invitedUser();
    expect(await getInvitationState(user.id)).toEqual({ state: 'none' });
    await invite(user.id);
    expect((await getInvitationState(user.id)).state).toBe('pending');
    const token = tokenFrom(mailsTo(sink, user.email)[0]!.text, 'activate');
    expect((await activateAccount({ token, password: 'a new passphrase for work' }, CLIENT)).ok).toBe(true);
    expect(await getInvitationState(user.id)).toMatchObject({ state: 'accepted', sentAt: new Date('2030-03-04T08:00:00.000Z') });
  });
});

describe('sendAccountNotice', () => {
  it('emails a disabled notice to the stored address', async () => {
    await useSettings({ organisationName: 'Acme' });
    const user = await insertTestUser({ status: 'disabled', firstName: 'Ada', username: `ada_${Date.now()}` });
    expect(await sendAccountNotice(user.id, 'disabled')).toEqual({ ok: true });
    const [mail] = mailsTo(sink, user.email);
    expect(mail!.header('subject')).toBe('Your Acme VPN account has been disabled');
    expect(mail!.text).toContain('An administrator of Acme has disabled your VPN account.');
    expect(mail!.text).toContain(`Your username: ${user.username}`);
    expect(mail!.html).toContain('contact your administrator');
  });

  it('reports a refused address', async () => {
    const user = await insertTestUser({ status: 'disabled', email: `bounce.notice.${Date.now()}@example.com` });
    const result = await sendAccountNotice(user.id, 'disabled');
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('550') });
  });
});
