import { and, desc, eq, gt, max } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { upsertAdmin } from '@/lib/admins';
import { endOwnSession } from '@/lib/auth/end-own-session';
import { verifySignIn } from '@/lib/auth/sign-in';
import { advanceClock, now, resetClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { revokeDevice } from '@/lib/devices/revoke-device';
import { applySyncAnyway, getSyncRun } from '@/lib/directory';
import { ADMIN as DIRECTORY_ADMIN, configureDirectory, syncNow, unitsLdif, userByUsername } from '@/lib/directory/testing';
import { resetEnvCache } from '@/lib/env';
import { activateAccount, inspectInvitation, inviteUser } from '@/lib/invitations';
import { tokenFrom } from '@/lib/invitations/mail-test-support';
import { removeFactor, resetMfa, startChallenge, unlockMfa, verifyChallenge, type ChallengePurpose } from '@/lib/mfa';
import { freshClient, freshMobile, insertEnrolledUser, insertTestSession, lastCodeSentTo, setTestSettings, wrongCode } from '@/lib/mfa/testing';
import { listOutbox } from '@/lib/outbox';
import { changePassword, completePasswordReset, requestPasswordReset } from '@/lib/password-reset';
import { hashPassword } from '@/lib/passwords';
import { generateCodes, redeemCode, revokeCode, sweepExpiredCodes } from '@/lib/registration-codes';
import { generateTestCode } from '@/lib/registration-codes/testing';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings, updateMfaSettings, updateProvisioningSettings } from '@/lib/settings';
import { handleTwilioStatusCallback, resetSmsTransport } from '@/lib/sms';
import { insertTestUser } from '@/lib/testing/factories';
import { rememberSecretsForScan } from '@/lib/testing/scan-events-for-secrets';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { signedStatusCallbackRequest, startTwilioStandIn, statusCallbackParams, TWILIO_ERRORS, type TwilioStandIn } from '@/lib/testing/twilio-stand-in';
import { applyBulkAction, createManualUser, setMfaOverride, updateManualUser } from '@/lib/users';
import { completeSsoSignIn, confirmSsoReauthentication, loadSsoConfig, saveSsoSettings } from '@/lib/sso';
import { ssoInput } from '@/lib/sso/testing';
import { startOidcProvider, type TestOidcProvider } from '@/lib/testing/oidc-provider';
import { EVENT, type Actor, type EventKind } from '.';

/*
 * Issue 7, "Coverage": every action of the checklist, performed through lib/ as the app's actions
 * call it, writes its event with the right type and sub type, actor, subject user, outcome and useful
 * details; every admin change of a user or a setting says what changed, before → after. One row per
 * event kind: the tables below read as the checklist. The events these actions store are then
 * scanned for secrets (lib/testing/setup-file.ts), with the passwords typed here added.
 */

const ADMIN: Actor = { type: 'admin', id: '00000000-0000-4000-8000-0000000000ad', label: 'auditor@example.com' };
const PASSWORD = 'coverage passphrase one';
const NEW_PASSWORD = 'coverage passphrase two';
const WRONG_PASSWORD = 'not the coverage passphrase';
rememberSecretsForScan(PASSWORD, NEW_PASSWORD, WRONG_PASSWORD);

const TWILIO = { sid: `AC${'c0ffee00'.repeat(4)}`, token: 'coverage-twilio-auth-token', from: '+15005550006' };
rememberSecretsForScan(TWILIO.token);
const DAY_MS = 86_400_000;

type EventRow = typeof schema.events.$inferSelect;
type User = Awaited<ReturnType<typeof insertTestUser>>;

/** What an action's event must look like: its subject user, and the columns and details it must carry. */
interface Found {
  subject: string | null;
  match: Partial<Omit<EventRow, 'details'>> & { details?: Record<string, unknown> };
}

interface Row {
  kind: EventKind;
  action: string;
  perform: () => Promise<Found>;
}

let passwordHash: string;
let client: ClientInfo;
let twilio: TwilioStandIn;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
  twilio = await startTwilioStandIn({ authToken: TWILIO.token });
  await setTestSettings({ smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000, mfaFailuresPerIpPerHour: 10_000 });
});
afterAll(() => twilio.close());
afterEach(() => resetClock());

// ---- Arranging -------------------------------------------------------------------------------

const byAdmin = () => ({ actorType: 'admin' as const, actorId: ADMIN.id, actorLabel: ADMIN.label, ip: client.ip, userAgent: client.userAgent });
const byUser = (user: { id: string; email: string }) => ({ actorType: 'user' as const, actorId: user.id, actorLabel: user.email, ip: client.ip });
const userActor = (user: { id: string; email: string }): Actor => ({ type: 'user', id: user.id, label: user.email });
const changed = (field: string, before: unknown, after: unknown) => ({ changes: { [field]: { before, after } } });

const activeUser = (overrides: Parameters<typeof insertTestUser>[0] = {}) => insertTestUser({ status: 'active', passwordHash, ...overrides });
const invitedUser = () => insertTestUser({ status: 'invited', passwordHash: null });

async function bulk(action: Parameters<typeof applyBulkAction>[0], user: User): Promise<void> {
  expect(await applyBulkAction(action, { ids: [user.id] }, ADMIN, client)).toMatchObject({ succeeded: 1, failed: [], skipped: [] });
}

/** The token of the newest link to `<APP_URL>/<path>/` emailed to an address (the dev outbox). */
async function emailedToken(email: string, path: 'activate' | 'reset-password'): Promise<string> {
  const mail = (await listOutbox({ channel: 'email' })).find((m) => m.recipient.toLowerCase() === email.toLowerCase());
  return tokenFrom(mail?.bodyText, path);
}

async function invited(): Promise<{ user: User; token: string }> {
  const user = await invitedUser();
  expect(await inviteUser(user.id, { actor: ADMIN, client, resend: false })).toEqual({ ok: true });
  return { user, token: await emailedToken(user.email, 'activate') };
}

/** Sends a code for `purpose` (through the dev outbox) and returns it. */
async function sentCode(userId: string, sessionId: string, purpose: ChallengePurpose, phone: string): Promise<string> {
  const result = await startChallenge({ userId, sessionId, purpose, phoneE164: purpose === 'sign_in' ? undefined : phone, client });
  if (!result.ok) throw new Error(result.message);
  return (await lastCodeSentTo(phone))!;
}

const verify = (userId: string, sessionId: string, purpose: ChallengePurpose, code: string) => verifyChallenge({ userId, sessionId, purpose, code, client });

/** An enrolled user whose sign-in code was just sent, and the code. */
async function challenged() {
  const enrolled = await insertEnrolledUser(freshMobile(), { passwordHash });
  return { ...enrolled, code: await sentCode(enrolled.userId, enrolled.sessionId, 'sign_in', enrolled.phone) };
}

/** An invited user holding a registration code, its id and the code. */
async function holdingCode() {
  const user = await invitedUser();
  return { user, ...(await generateTestCode(user.id)) };
}

async function registeredDevice() {
  const { user, code } = await holdingCode();
  const result = await redeemCode({ code, device: { name: 'Coverage laptop', platform: 'linux' } }, client);
  if (!result.ok) throw new Error(result.code);
  return { user, deviceId: result.deviceId };
}

/** Runs `fn` with Twilio configured against the stand-in (the SMS goes through the real SDK). */
async function withTwilio<T>(fn: () => Promise<T>): Promise<T> {
  const keys = { TWILIO_ACCOUNT_SID: TWILIO.sid, TWILIO_AUTH_TOKEN: TWILIO.token, TWILIO_FROM: TWILIO.from, TWILIO_API_BASE_URL: twilio.baseUrl };
  const saved = Object.fromEntries(Object.keys(keys).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    resetEnvCache();
    resetSmsTransport();
  };
  apply(keys);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

/** Sends a sign-in code through Twilio, then posts Twilio's signed status callback for it, as the webhook route does. */
async function deliveryReported(status: string, errorCode?: number) {
  return withTwilio(async () => {
    const { user, userId, sessionId } = await insertEnrolledUser(freshMobile());
    const result = await startChallenge({ userId, sessionId, purpose: 'sign_in', client });
    if (!result.ok) throw new Error(result.message);
    const sent = twilio.requests.at(-1)!;
    const params = statusCallbackParams({ sid: sent.sid!, status, errorCode, accountSid: TWILIO.sid });
    const response = await handleTwilioStatusCallback(signedStatusCallbackRequest(params, { authToken: TWILIO.token, signedUrl: sent.form.StatusCallback! }));
    expect(response.status).toBe(204);
    return user;
  });
}

// ---- The checklist ---------------------------------------------------------------------------

const signInRows: Row[] = [
  {
    kind: EVENT.adminSignIn,
    action: 'an admin signs in',
    async perform() {
      const { id } = await upsertAdmin({ email: 'signing.in@example.com', password: PASSWORD });
      const { sessionId } = await verifySignIn('admin', 'signing.in@example.com', PASSWORD, client);
      return { subject: null, match: { actorType: 'admin', actorId: id, actorLabel: 'signing.in@example.com', ip: client.ip, details: { sessionId } } };
    },
  },
  {
    kind: EVENT.adminSignIn,
    action: 'an admin types a wrong password',
    async perform() {
      const { id } = await upsertAdmin({ email: 'mistyped@example.com', password: PASSWORD });
      await expect(verifySignIn('admin', 'mistyped@example.com', WRONG_PASSWORD, client)).rejects.toMatchObject({ code: 'invalid' });
      return { subject: null, match: { outcome: 'failure', actorType: 'anonymous', actorLabel: 'mistyped@example.com', ip: client.ip, details: { reason: 'invalid', adminId: id } } };
    },
  },
  {
    kind: EVENT.userSignIn,
    action: 'a user signs in with their username',
    async perform() {
      const user = await activeUser();
      const { sessionId } = await verifySignIn('user', user.username, PASSWORD, client);
      return { subject: user.id, match: { ...byUser(user), userAgent: client.userAgent, details: { sessionId } } };
    },
  },
  {
    kind: EVENT.userSignIn,
    action: 'a user types a wrong password',
    async perform() {
      const user = await activeUser();
      await expect(verifySignIn('user', user.email, WRONG_PASSWORD, client)).rejects.toMatchObject({ code: 'invalid' });
      return { subject: user.id, match: { outcome: 'failure', actorType: 'anonymous', actorLabel: user.email, ip: client.ip, details: { reason: 'invalid' } } };
    },
  },
  {
    kind: EVENT.signOut,
    action: 'a user signs out (the database side of signOutPrincipal)',
    async perform() {
      const user = await activeUser();
      const { sessionId } = await verifySignIn('user', user.email, PASSWORD, client);
      await endOwnSession({ realm: 'user', ...user, sessionId, mfaState: 'none' }, client);
      return { subject: user.id, match: { ...byUser(user), details: { sessionId } } };
    },
  },
];

const adminChangeRows: Row[] = [
  {
    kind: EVENT.userCreated,
    action: 'an admin creates a user',
    async perform() {
      const email = `created.${Date.now()}@example.com`;
      const { id } = await createManualUser({ firstName: 'Cy', lastName: 'Created', email, phone: '+447400123456' }, ADMIN, client);
      return { subject: id, match: { ...byAdmin(), details: { email, username: email, source: 'manual', phone: '+447400123456' } } };
    },
  },
  {
    kind: EVENT.userUpdated,
    action: 'an admin edits a user',
    async perform() {
      const user = await activeUser({ firstName: 'Before' });
      await updateManualUser(user.id, { firstName: 'After', lastName: user.lastName, email: user.email, username: user.username }, ADMIN, client);
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, ...changed('firstName', 'Before', 'After') } } };
    },
  },
  {
    kind: EVENT.userUpdated,
    action: "an admin sets a user's two-factor requirement",
    async perform() {
      const user = await activeUser();
      await setMfaOverride(user.id, 'exempt', ADMIN, client);
      return { subject: user.id, match: { ...byAdmin(), details: changed('mfaOverride', 'default', 'exempt') } };
    },
  },
  {
    kind: EVENT.userDisabled,
    action: 'an admin disables a user',
    async perform() {
      const user = await activeUser();
      await bulk('disable', user);
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, ...changed('status', 'active', 'disabled') } } };
    },
  },
  {
    kind: EVENT.userEnabled,
    action: 'an admin enables a user',
    async perform() {
      const user = await activeUser({ status: 'disabled' });
      await bulk('enable', user);
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, ...changed('status', 'disabled', 'active') } } };
    },
  },
  {
    kind: EVENT.userDeleted,
    action: 'an admin deletes a user',
    async perform() {
      const user = await activeUser();
      await bulk('delete', user);
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, ...changed('status', 'active', 'deleted') } } };
    },
  },
  {
    kind: EVENT.passwordReset,
    action: "an admin resets a user's password",
    async perform() {
      const user = await activeUser();
      await bulk('reset_password', user);
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, sessionsEnded: true, ...changed('status', 'active', 'invited') } } };
    },
  },
  {
    kind: EVENT.deviceRevoked,
    action: "an admin's password reset revokes the user's devices",
    async perform() {
      const { user, deviceId } = await registeredDevice();
      await bulk('reset_password', user);
      return { subject: user.id, match: { ...byAdmin(), deviceId, details: { name: 'Coverage laptop', platform: 'linux', reason: 'password reset by an admin' } } };
    },
  },
  {
    kind: EVENT.codeRevoked,
    action: "an admin's password reset revokes the user's registration codes",
    async perform() {
      const { user, id } = await holdingCode();
      await bulk('reset_password', user);
      return { subject: user.id, match: { ...byAdmin(), details: { registrationId: id, reason: 'password reset by an admin' } } };
    },
  },
  {
    kind: EVENT.mfaReset,
    action: "an admin resets a user's two-factor authentication",
    async perform() {
      const { user } = await insertEnrolledUser(freshMobile());
      await resetMfa(user.id, ADMIN, client);
      return { subject: user.id, match: { ...byAdmin(), details: { factorRemoved: true, ...changed('mfaFactor', 'verified', 'none') } } };
    },
  },
  {
    kind: EVENT.mfaUnlocked,
    action: "an admin unlocks a user's two-factor authentication",
    async perform() {
      const { userId } = await insertEnrolledUser(freshMobile());
      await getDb().update(schema.mfaFactors).set({ lockedAt: new Date(), failureCount: 100 }).where(eq(schema.mfaFactors.userId, userId));
      expect(await unlockMfa(userId, ADMIN, client)).toEqual({ ok: true });
      return { subject: userId, match: { ...byAdmin(), details: { changes: { locked: { before: true, after: false }, failureCount: { before: 100, after: 0 } } } } };
    },
  },
  {
    kind: EVENT.settingsChanged,
    action: 'an admin changes the User Provisioning settings',
    async perform() {
      const s = await getAccountSettings();
      const { provisioningMethod, inviteManualUsers, inviteDirectoryUsers, notifyDisabledUsers, codeLifetimeValue, codeLifetimeUnit } = s;
      const input = { provisioningMethod, inviteManualUsers, inviteDirectoryUsers, notifyDisabledUsers, codeLifetimeValue, codeLifetimeUnit };
      await updateProvisioningSettings({ ...input, invitationLifetimeDays: s.invitationLifetimeDays + 1 }, ADMIN, client);
      return { subject: null, match: { ...byAdmin(), details: { section: 'User Provisioning', ...changed('invitationLifetimeDays', s.invitationLifetimeDays, s.invitationLifetimeDays + 1) } } };
    },
  },
  {
    kind: EVENT.settingsChanged,
    action: 'an admin changes the Two-Factor Authentication settings',
    async perform() {
      const { mfaPolicy, mfaRememberDays, smsAllowedCountries, smsSendsPerIpPerHour, mfaFailuresPerIpPerHour } = await getAccountSettings();
      await updateMfaSettings({ mfaPolicy, mfaRememberDays, smsAllowedCountries: ['GB', ...smsAllowedCountries], smsSendsPerIpPerHour, mfaFailuresPerIpPerHour }, ADMIN, client);
      await updateMfaSettings({ mfaPolicy, mfaRememberDays, smsAllowedCountries, smsSendsPerIpPerHour, mfaFailuresPerIpPerHour }, ADMIN, client);
      return { subject: null, match: { ...byAdmin(), details: { section: 'Two-Factor Authentication', ...changed('smsAllowedCountries', ['GB'], []) } } };
    },
  },
];

const accountRows: Row[] = [
  {
    kind: EVENT.invitationSent,
    action: 'an admin invites a user',
    async perform() {
      const { user } = await invited();
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, expiresAt: expect.any(String) } } };
    },
  },
  {
    kind: EVENT.invitationResent,
    action: 'an admin resends the invitation',
    async perform() {
      const { user } = await invited();
      await bulk('resend_invitation', user);
      return { subject: user.id, match: { ...byAdmin(), details: { email: user.email, expiresAt: expect.any(String) } } };
    },
  },
  {
    kind: EVENT.invitationAccepted,
    action: 'the user activates their account with the emailed link',
    async perform() {
      const { user, token } = await invited();
      expect(await activateAccount({ token, password: PASSWORD }, client)).toMatchObject({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { email: user.email } } };
    },
  },
  {
    kind: EVENT.userActivated,
    action: 'the user activates their account with the emailed link',
    async perform() {
      const { user, token } = await invited();
      expect(await activateAccount({ token, password: PASSWORD }, client)).toMatchObject({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { email: user.email, username: user.username } } };
    },
  },
  {
    kind: EVENT.invitationExpired,
    action: 'someone opens an invitation link after it expired',
    async perform() {
      const { user, token } = await invited();
      advanceClock(31 * DAY_MS);
      expect(await inspectInvitation(token, client)).toEqual({ state: 'expired' });
      return { subject: user.id, match: { actorType: 'anonymous', ip: client.ip, details: { email: user.email, expiresAt: expect.any(String) } } };
    },
  },
  {
    kind: EVENT.passwordChanged,
    action: 'a signed-in user changes their password',
    async perform() {
      const user = await activeUser();
      expect(await changePassword(user.id, { currentPassword: PASSWORD, password: NEW_PASSWORD }, client)).toEqual({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { email: user.email, sessionsEnded: true } } };
    },
  },
  {
    kind: EVENT.passwordResetRequested,
    action: 'a user asks for a password reset link',
    async perform() {
      const user = await activeUser();
      expect(await requestPasswordReset(user.email, client)).toBe('link_sent');
      return { subject: user.id, match: { actorType: 'anonymous', actorLabel: user.email, ip: client.ip, details: { email: user.email, result: 'link_issued' } } };
    },
  },
  {
    kind: EVENT.passwordResetCompleted,
    action: 'the user sets a new password with the emailed reset link',
    async perform() {
      const user = await activeUser();
      expect(await requestPasswordReset(user.email, client)).toBe('link_sent');
      const token = await emailedToken(user.email, 'reset-password');
      expect(await completePasswordReset({ token, password: NEW_PASSWORD }, client)).toEqual({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { email: user.email, sessionsEnded: true } } };
    },
  },
];

const mfaRows: Row[] = [
  {
    kind: EVENT.mfaChallengeSent,
    action: 'a sign-in code is sent by SMS',
    async perform() {
      const { user } = await challenged();
      return { subject: user.id, match: { ...byUser(user), details: { purpose: 'sign_in', maskedPhone: expect.stringMatching(/^\+44 /) } } };
    },
  },
  {
    kind: EVENT.mfaChallengePassed,
    action: 'the user enters the right code',
    async perform() {
      const { user, sessionId, code } = await challenged();
      expect(await verify(user.id, sessionId, 'sign_in', code)).toEqual({ ok: true, purpose: 'sign_in' });
      return { subject: user.id, match: { ...byUser(user), details: { purpose: 'sign_in', maskedPhone: expect.any(String) } } };
    },
  },
  {
    kind: EVENT.mfaChallengeFailed,
    action: 'the user enters a wrong code',
    async perform() {
      const { user, sessionId, code } = await challenged();
      expect(await verify(user.id, sessionId, 'sign_in', wrongCode(code))).toMatchObject({ problem: 'wrong_code' });
      return { subject: user.id, match: { ...byUser(user), outcome: 'failure', details: { purpose: 'sign_in', attemptsLeft: 4, failureCount: 1 } } };
    },
  },
  {
    kind: EVENT.mfaLocked,
    action: 'the 100th consecutive wrong code locks the factor',
    async perform() {
      const { user, sessionId, code } = await challenged();
      await getDb().update(schema.mfaFactors).set({ failureCount: 99 }).where(eq(schema.mfaFactors.userId, user.id));
      expect(await verify(user.id, sessionId, 'sign_in', wrongCode(code))).toMatchObject({ problem: 'locked' });
      return { subject: user.id, match: { ...byUser(user), outcome: 'failure', details: { failureCount: 100 } } };
    },
  },
  {
    kind: EVENT.mfaEnrolled,
    action: 'a user sets up SMS two-factor with a code sent to their number',
    async perform() {
      const user = await activeUser();
      const sessionId = await insertTestSession(user.id);
      const phone = freshMobile();
      expect(await verify(user.id, sessionId, 'enrol', await sentCode(user.id, sessionId, 'enrol', phone))).toMatchObject({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { maskedPhone: expect.stringMatching(/^\+44 /) } } };
    },
  },
  {
    kind: EVENT.mfaPhoneChanged,
    action: 'a user changes their two-factor number',
    async perform() {
      const { user, sessionId } = await insertEnrolledUser(freshMobile());
      const phone = freshMobile();
      expect(await verify(user.id, sessionId, 'change_phone', await sentCode(user.id, sessionId, 'change_phone', phone))).toMatchObject({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { maskedPhone: expect.any(String), previousMaskedPhone: expect.any(String), noticeSentBy: 'sms' } } };
    },
  },
  {
    kind: EVENT.mfaFactorRemoved,
    action: 'a user removes their two-factor number',
    async perform() {
      const { user } = await insertEnrolledUser(freshMobile());
      expect(await removeFactor(user.id, userActor(user), client)).toEqual({ ok: true });
      return { subject: user.id, match: { ...byUser(user), details: { maskedPhone: expect.any(String), trustedBrowsersRevoked: 0 } } };
    },
  },
  {
    kind: EVENT.smsDeliveryStatus,
    action: 'Twilio reports an SMS delivered',
    async perform() {
      const user = await deliveryReported('delivered');
      return { subject: user.id, match: { actorType: 'system', actorLabel: 'Twilio', details: { status: 'delivered', previousStatus: 'queued', purpose: 'mfa_code' } } };
    },
  },
  {
    kind: EVENT.smsDeliveryStatus,
    action: 'Twilio reports an SMS undelivered, with its error',
    async perform() {
      const user = await deliveryReported('undelivered', 30003);
      return { subject: user.id, match: { actorType: 'system', outcome: 'failure', details: { status: 'undelivered', errorCode: 30003, problem: expect.stringContaining('30003') } } };
    },
  },
  {
    kind: EVENT.smsSendFailed,
    action: 'Twilio refuses to send an SMS',
    async perform() {
      return withTwilio(async () => {
        const { user, userId, sessionId } = await insertEnrolledUser(freshMobile());
        twilio.failNext(TWILIO_ERRORS.invalidTo);
        expect(await startChallenge({ userId, sessionId, purpose: 'sign_in', client })).toMatchObject({ ok: false, problem: 'send_failed' });
        return { subject: user.id, match: { outcome: 'failure', details: { errorCode: 21211 } } };
      });
    },
  },
];

const codeAndDeviceRows: Row[] = [
  {
    kind: EVENT.codeGenerated,
    action: 'an admin generates a registration code',
    async perform() {
      const user = await invitedUser();
      expect(await generateCodes([user.id], ADMIN, client)).toBe(1);
      return { subject: user.id, match: { ...byAdmin(), details: { registrationId: expect.any(String), expiresAt: expect.any(String) } } };
    },
  },
  {
    kind: EVENT.codeUsed,
    action: 'a VPN client redeems a code',
    async perform() {
      const { user, deviceId } = await registeredDevice();
      return { subject: user.id, match: { actorType: 'client', actorId: deviceId, actorLabel: 'Coverage laptop', ip: client.ip, details: { deviceName: 'Coverage laptop', platform: 'linux' } } };
    },
  },
  {
    kind: EVENT.codeRedeemFailed,
    action: 'a VPN client sends a code that was revoked',
    async perform() {
      const { user, id, code } = await holdingCode();
      await revokeCode(id, ADMIN, client);
      expect(await redeemCode({ code, device: { name: 'x', platform: 'ios' } }, client)).toEqual({ ok: false, code: 'code_revoked' });
      return { subject: user.id, match: { actorType: 'client', outcome: 'failure', ip: client.ip, details: { reason: 'code_revoked', registrationId: id } } };
    },
  },
  {
    kind: EVENT.codeRevoked,
    action: 'an admin revokes a code',
    async perform() {
      const { user, id } = await holdingCode();
      expect(await revokeCode(id, ADMIN, client)).toEqual({ ok: true });
      return { subject: user.id, match: { ...byAdmin(), details: { registrationId: id } } };
    },
  },
  {
    kind: EVENT.codeExpired,
    action: 'the sweep expires a code past its lifetime',
    async perform() {
      const { user, id } = await holdingCode();
      advanceClock(8 * DAY_MS);
      expect(await sweepExpiredCodes()).toBeGreaterThanOrEqual(1);
      return { subject: user.id, match: { actorType: 'system', details: { registrationId: id, expiresAt: expect.any(String) } } };
    },
  },
  {
    kind: EVENT.deviceRegistered,
    action: 'a VPN client registers a device with a code',
    async perform() {
      const { user, deviceId } = await registeredDevice();
      return { subject: user.id, match: { actorType: 'client', deviceId, ip: client.ip, details: { name: 'Coverage laptop', platform: 'linux' } } };
    },
  },
  {
    kind: EVENT.deviceRevoked,
    action: 'a user revokes their device',
    async perform() {
      const { user, deviceId } = await registeredDevice();
      expect(await revokeDevice(deviceId, userActor(user), client)).toEqual({ ok: true });
      return { subject: user.id, match: { ...byUser(user), deviceId, details: { name: 'Coverage laptop', platform: 'linux' } } };
    },
  },
];

const ROWS = [...signInRows, ...adminChangeRows, ...accountRows, ...mfaRows, ...codeAndDeviceRows];

// ---- Finding the event -----------------------------------------------------------------------

async function lastEventId(): Promise<number> {
  const [row] = await getDb().select({ id: max(schema.events.id) }).from(schema.events);
  return row?.id ?? 0;
}

/** The newest event of a kind about a subject, written after `since`. */
async function newestEvent(kind: EventKind, subject: string | null, since: number): Promise<EventRow | undefined> {
  const e = schema.events;
  const rows = await getDb()
    .select()
    .from(e)
    .where(and(gt(e.id, since), eq(e.type, kind.type), eq(e.subType, kind.subType)))
    .orderBy(desc(e.id));
  return rows.find((r) => r.subjectUserId === subject);
}

async function expectEvent(row: Row): Promise<void> {
  client = freshClient();
  const since = await lastEventId();
  const { subject, match } = await row.perform();
  const event = await newestEvent(row.kind, subject, since);
  expect(event, `${row.kind.type} · ${row.kind.subType} about ${subject ?? 'no user'}`).toBeDefined();
  expect(event).toMatchObject({ outcome: 'success', subjectUserId: subject, ...match });
}

describe('every action writes its event', () => {
  it.each(ROWS)('$kind.type · $kind.subType: $action', (row) => expectEvent(row));
});

// ---- Directory sync (a real slapd; lib/directory's own tests cover the sync itself) -------------

const BASE = 'dc=example,dc=org';
const person = (uid: string) => personLdif(`uid=${uid},ou=people,${BASE}`, { uid, cn: uid, sn: uid, mail: `${uid}@example.org` });
let slapd: Slapd;
let heldRunId: string;

const byDirectoryAdmin = () => ({ actorType: 'admin' as const, actorLabel: DIRECTORY_ADMIN.label });
/** User events a sync writes name the directory sync (a system actor); the run is in their details. */
const byDirectorySync = { actorType: 'system' as const, actorLabel: 'Directory sync' };
const directoryUserId = async (uid: string) => (await userByUsername(uid))!.id;
/** Moves an entry out of the searched subtree (or back): the entry keeps its entryUUID, as a real leaver would. */
const moveEntry = (uid: string, from: string, to: string) =>
  slapd.modify(`dn: uid=${uid},ou=${from},${BASE}\nchangetype: modrdn\nnewrdn: uid=${uid}\ndeleteoldrdn: 0\nnewsuperior: ou=${to},${BASE}\n`);

/** Queues a run through the public entry points, works it, and checks how it ended. */
async function runEndingIn(status: string): Promise<string> {
  const run = await syncNow();
  expect(run.status).toBe(status);
  return run.id;
}

/** In order: each step starts from the state the previous one left. */
const directoryRows: Row[] = [
  {
    kind: EVENT.directorySettingsChanged,
    action: 'an admin saves the directory settings',
    async perform() {
      await configureDirectory(slapd);
      const changes = { url: { before: null, after: slapd.url }, bindAuthentication: { before: 'no password', after: 'replaced' } };
      return { subject: null, match: { ...byDirectoryAdmin(), details: { changes } } };
    },
  },
  {
    kind: EVENT.userCreated,
    action: 'the directory sync creates a user',
    async perform() {
      const syncRunId = await runEndingIn('succeeded');
      const details = { email: 'dir-one@example.org', username: 'dir-one', source: 'directory', lastName: 'dir-one', syncRunId };
      return { subject: await directoryUserId('dir-one'), match: { ...byDirectorySync, details } };
    },
  },
  {
    kind: EVENT.directorySyncStarted,
    action: 'Sync Now starts a run',
    async perform() {
      const syncRunId = await runEndingIn('succeeded');
      return { subject: null, match: { ...byDirectoryAdmin(), details: { syncRunId, trigger: 'manual', dryRun: false } } };
    },
  },
  {
    kind: EVENT.directorySyncFinished,
    action: 'the run finishes',
    async perform() {
      return { subject: null, match: { ...byDirectoryAdmin(), details: { syncRunId: await runEndingIn('succeeded') } } };
    },
  },
  {
    kind: EVENT.userUpdated,
    action: "the directory sync updates a user whose entry changed",
    async perform() {
      slapd.modify(`dn: uid=dir-one,ou=people,${BASE}\nchangetype: modify\nreplace: sn\nsn: Renamed\n`);
      const syncRunId = await runEndingIn('succeeded');
      return { subject: await directoryUserId('dir-one'), match: { ...byDirectorySync, details: { syncRunId, ...changed('lastName', 'dir-one', 'Renamed') } } };
    },
  },
  {
    kind: EVENT.directorySyncSafetyStop,
    action: 'a run that would disable more than the threshold waits',
    async perform() {
      moveEntry('dir-two', 'people', 'former');
      heldRunId = await runEndingIn('waiting_approval');
      return { subject: null, match: { ...byDirectoryAdmin(), outcome: 'failure', details: { syncRunId: heldRunId } } };
    },
  },
  {
    kind: EVENT.directorySyncAppliedAnyway,
    action: 'an admin applies the held run anyway',
    async perform() {
      const { runId } = await applySyncAnyway(heldRunId, ADMIN, client);
      await expect.poll(async () => (await getSyncRun(runId))?.status).toBe('succeeded');
      return { subject: null, match: { ...byAdmin(), details: { approvedSyncRunId: heldRunId, syncRunId: runId, approvedDisables: 1 } } };
    },
  },
  {
    kind: EVENT.userEnabled,
    action: 'the directory sync enables a user it disabled who is back in the directory',
    async perform() {
      moveEntry('dir-two', 'former', 'people');
      const syncRunId = await runEndingIn('succeeded');
      return { subject: await directoryUserId('dir-two'), match: { ...byDirectorySync, details: { syncRunId, ...changed('status', 'disabled', 'invited') } } };
    },
  },
  {
    kind: EVENT.userDisabled,
    action: 'the directory sync disables a user who left the directory',
    async perform() {
      await configureDirectory(slapd, { disableThresholdPercent: 100 });
      moveEntry('dir-two', 'people', 'former');
      const syncRunId = await runEndingIn('succeeded');
      return { subject: await directoryUserId('dir-two'), match: { ...byDirectorySync, details: { syncRunId, ...changed('status', 'invited', 'disabled') } } };
    },
  },
  {
    kind: EVENT.directorySyncFailed,
    action: 'a run fails when the directory is down',
    async perform() {
      await slapd.stop();
      return { subject: null, match: { ...byDirectoryAdmin(), outcome: 'failure', details: { syncRunId: await runEndingIn('failed') } } };
    },
  },
];

describe('directory sync runs write their events', () => {
  beforeAll(async () => {
    slapd = await startSlapd({ ldif: [unitsLdif(BASE), person('dir-one'), person('dir-two')].join('\n') });
  });
  afterAll(() => slapd?.destroy());

  it.each(directoryRows)('$kind.type · $kind.subType: $action', (row) => expectEvent(row));
});

// ---- Single sign-on (a real OpenID Connect provider; lib/sso's own tests cover the matching rules) ----

let idp: TestOidcProvider;
const ssoProfile = (email: string, extra: Record<string, unknown> = {}) => ({ sub: `sub-${email}`, email, email_verified: true, ...extra });
async function ssoConfig() {
  const config = await loadSsoConfig();
  if (!config) throw new Error('SSO is off');
  return config;
}

const ssoRows: Row[] = [
  {
    kind: EVENT.ssoSettingsChanged,
    action: 'an admin switches single sign-on on',
    async perform() {
      await saveSsoSettings(ssoInput(idp), ADMIN, client);
      const changes = { enabled: { before: null, after: true }, issuerUrl: { before: null, after: idp.issuer }, clientAuthentication: { before: 'not set', after: 'replaced' } };
      return { subject: null, match: { ...byAdmin(), details: { changes } } };
    },
  },
  {
    kind: EVENT.ssoSignIn,
    action: 'an active user signs in through the identity provider',
    async perform() {
      const user = await activeUser();
      const { sessionId } = await completeSsoSignIn(await ssoConfig(), ssoProfile(user.email), client);
      return { subject: user.id, match: { actorType: 'user', actorId: user.id, ip: client.ip, details: { sessionId, issuer: idp.issuer } } };
    },
  },
  {
    kind: EVENT.ssoReauthenticated,
    action: 'a user without a password confirms it is them at the identity provider before changing their 2FA number',
    async perform() {
      const user = await activeUser();
      const sessionId = await insertTestSession(user.id, { mfaState: 'passed' });
      const authTime = Math.floor(now().getTime() / 1000);
      await confirmSsoReauthentication(await ssoConfig(), { id: user.id, email: user.email, sessionId }, ssoProfile(user.email, { auth_time: authTime }), client);
      return { subject: user.id, match: { actorType: 'user', actorId: user.id, ip: client.ip, details: { sessionId, issuer: idp.issuer, subject: `sub-${user.email}` } } };
    },
  },
  {
    kind: EVENT.ssoActivated,
    action: 'an invited user signs in through the identity provider for the first time',
    async perform() {
      const user = await invitedUser();
      await completeSsoSignIn(await ssoConfig(), ssoProfile(user.email), client);
      return { subject: user.id, match: { actorType: 'user', actorId: user.id, ip: client.ip, details: { email: user.email, issuer: idp.issuer } } };
    },
  },
  {
    kind: EVENT.ssoUserCreated,
    action: 'an unknown user signs in through the identity provider with "create users" on',
    async perform() {
      await saveSsoSettings(ssoInput(idp, { createUsers: true, clientSecret: '' }), ADMIN, client);
      const email = `sso.created.${client.ip.replaceAll('.', '-')}@example.org`;
      const { principalId } = await completeSsoSignIn(await ssoConfig(), ssoProfile(email, { preferred_username: `sso_${Date.now()}` }), client);
      return { subject: principalId, match: { actorType: 'user', actorId: principalId, details: { email, issuer: idp.issuer } } };
    },
  },
];

describe('single sign-on writes its events', () => {
  beforeAll(async () => {
    idp = await startOidcProvider({ redirectUris: ['http://127.0.0.1:3100/api/auth/callback/sso'] });
    rememberSecretsForScan(idp.clientSecret);
  });
  afterAll(() => idp?.stop());

  it.each(ssoRows)('$kind.type · $kind.subType: $action', (row) => expectEvent(row));

  it('SSO Sign-In · failure: a refused sign-in records the reason', async () => {
    client = freshClient();
    const email = `sso.unknown.${Date.now()}@example.org`;
    await saveSsoSettings(ssoInput(idp, { createUsers: false, clientSecret: '' }), ADMIN, client);
    await expect(completeSsoSignIn(await ssoConfig(), ssoProfile(email), client)).rejects.toMatchObject({ reason: 'unknown_user' });
    const [event] = await getDb().select().from(schema.events).where(and(eq(schema.events.type, EVENT.ssoSignIn.type), eq(schema.events.subType, EVENT.ssoSignIn.subType), eq(schema.events.actorLabel, email)));
    expect(event).toMatchObject({ outcome: 'failure', actorType: 'anonymous', ip: client.ip, details: { reason: 'unknown_user', email, issuer: idp.issuer } });
  });
});

describe('single sign-on re-authentication refusals', () => {
  beforeAll(async () => {
    idp = await startOidcProvider({ redirectUris: ['http://127.0.0.1:3100/api/auth/callback/sso'] });
    rememberSecretsForScan(idp.clientSecret);
    await saveSsoSettings(ssoInput(idp), ADMIN, freshClient());
  });
  afterAll(() => idp?.stop());

  it('SSO Re-Authentication · failure: another account at the provider records the mismatch', async () => {
    client = freshClient();
    const user = await activeUser();
    const sessionId = await insertTestSession(user.id, { mfaState: 'passed' });
    const result = await confirmSsoReauthentication(await ssoConfig(), { id: user.id, email: user.email, sessionId }, ssoProfile('someone.else@example.org', { auth_time: Math.floor(now().getTime() / 1000) }), client);
    expect(result).toEqual({ ok: false, reason: 'account_mismatch' });
    const [event] = await getDb().select().from(schema.events).where(and(eq(schema.events.type, EVENT.ssoReauthenticated.type), eq(schema.events.subType, EVENT.ssoReauthenticated.subType), eq(schema.events.subjectUserId, user.id)));
    expect(event).toMatchObject({ outcome: 'failure', actorType: 'user', actorId: user.id, ip: client.ip, details: { reason: 'account_mismatch', email: 'someone.else@example.org', sessionId } });
  });
});

// ---- The checklist is complete ----------------------------------------------------------------

/** Kinds this file does not perform, and where they are checked instead. */
const ELSEWHERE: Partial<Record<keyof typeof EVENT, string>> = {
  adminCreated: 'lib/admins/admins.test.ts',
  adminUpdated: 'lib/admins/admins.test.ts',
  setupLinkIssued: 'lib/admins/admins.test.ts',
  setupCompleted: 'lib/admins/admins.test.ts',
  invitationFailed: 'lib/invitations/invitations.test.ts (an SMTP server that refuses the recipient)',
  mfaTrustedDeviceAdded: 'lib/mfa/factor.test.ts',
  mfaTrustedDeviceForgotten: 'lib/mfa/factor.test.ts',
  jobFailed: 'lib/jobs/run-due-jobs.test.ts',
  eventsPruned: 'lib/events/search-events.test.ts (retention)',
  eventsExported: 'e2e/events.spec.ts',
};

describe('the checklist', () => {
  it('has a row for every event kind of the catalogue, or says where that kind is checked', () => {
    const covered = new Set<EventKind>([...ROWS, ...directoryRows, ...ssoRows].map((r) => r.kind));
    const missing = (Object.keys(EVENT) as (keyof typeof EVENT)[]).filter((key) => !covered.has(EVENT[key]) && !ELSEWHERE[key]);
    expect(missing).toEqual([]);
  });
});
