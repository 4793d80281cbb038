import { desc, eq, ne } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { UserInputError } from '@/lib/users';
import { setMfaOverride } from '@/lib/users/set-mfa-override';
import { getAccountSettings, MFA_NEEDS_INVITATIONS, SettingsRefusedError, updateMfaSettings, updateProvisioningSettings } from '.';
import { mfaSettingsSchema, type MfaSettingsInput } from './schemas';

const actor = { type: 'admin' as const, id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };
const client = { ip: '203.0.113.5', userAgent: 'vitest' };

const form = (values: Record<string, unknown>) => ({
  mfaPolicy: 'off',
  mfaRememberDays: '0',
  smsSendsPerIpPerHour: '20',
  mfaFailuresPerIpPerHour: '50',
  ...values,
});
const errorsOf = (values: Record<string, unknown>) => {
  const parsed = mfaSettingsSchema.safeParse(form(values));
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path[0], i.message]));
};
const settingsEvents = () => getDb().select().from(schema.events).where(eq(schema.events.type, 'Settings')).orderBy(desc(schema.events.id));
const mfaInput = async (values: Partial<MfaSettingsInput>): Promise<MfaSettingsInput> => {
  const { mfaPolicy, mfaRememberDays, smsAllowedCountries, smsSendsPerIpPerHour, mfaFailuresPerIpPerHour } = await getAccountSettings();
  return { mfaPolicy, mfaRememberDays, smsAllowedCountries, smsSendsPerIpPerHour, mfaFailuresPerIpPerHour, ...values };
};
const saveMfa = async (values: Partial<MfaSettingsInput>) => updateMfaSettings(await mfaInput(values), actor, client);
const saveMethod = async (provisioningMethod: 'invitation' | 'registration_code') =>
  updateProvisioningSettings({ ...(await getAccountSettings()), provisioningMethod }, actor, client);
const resetAll = async () => {
  await getDb().update(schema.accountSettings).set({ provisioningMethod: 'invitation', mfaPolicy: 'off' }).where(eq(schema.accountSettings.id, 1));
  await getDb().update(schema.users).set({ mfaOverride: 'default' }).where(eq(schema.users.mfaOverride, 'required'));
};

describe('Two-Factor Authentication settings form', () => {
  it('accepts the policy, remember days 0–30, a country list (normalised) and per-IP caps', () => {
    const parsed = mfaSettingsSchema.parse(form({ mfaPolicy: 'sms_required', mfaRememberDays: '30', smsAllowedCountries: ['gb', 'US', 'GB'] }));
    expect(parsed).toEqual({
      mfaPolicy: 'sms_required',
      mfaRememberDays: 30,
      smsAllowedCountries: ['GB', 'US'],
      smsSendsPerIpPerHour: 20,
      mfaFailuresPerIpPerHour: 50,
    });
    expect(mfaSettingsSchema.parse(form({ smsAllowedCountries: 'FR' })).smsAllowedCountries).toEqual(['FR']);
    expect(mfaSettingsSchema.parse(form({})).smsAllowedCountries).toEqual([]);
  });

  it('refuses out-of-range values with a message per field', () => {
    expect(errorsOf({ mfaRememberDays: '31' })).toEqual({ mfaRememberDays: 'A device can be remembered for at most 30 days.' });
    expect(errorsOf({ mfaRememberDays: '-1' })).toEqual({ mfaRememberDays: 'Enter 0 (never) or more days.' });
    expect(errorsOf({ mfaRememberDays: '1.5' })).toEqual({ mfaRememberDays: 'Enter a whole number of days.' });
    expect(errorsOf({ mfaPolicy: 'totp' })).toEqual({ mfaPolicy: 'Choose a policy.' });
    expect(errorsOf({ smsAllowedCountries: ['GB', 'XX'] })).toEqual({ smsAllowedCountries: 'Choose countries from the list.' });
    expect(errorsOf({ smsSendsPerIpPerHour: '0', mfaFailuresPerIpPerHour: '10001' })).toEqual({
      smsSendsPerIpPerHour: 'Allow at least 1 SMS code per hour.',
      mfaFailuresPerIpPerHour: 'Allow at most 10,000 wrong codes per hour.',
    });
  });

  it('saves the settings with one Settings Changed event holding before/after, and nothing when nothing changed', async () => {
    const before = (await settingsEvents()).length;
    expect(await saveMfa({ mfaRememberDays: 14, smsAllowedCountries: ['GB', 'IE'], smsSendsPerIpPerHour: 5 })).toEqual({
      changed: ['mfaRememberDays', 'smsAllowedCountries', 'smsSendsPerIpPerHour'],
    });
    expect(await getAccountSettings()).toMatchObject({ mfaRememberDays: 14, smsAllowedCountries: ['GB', 'IE'], smsSendsPerIpPerHour: 5 });
    const events = await settingsEvents();
    expect(events.length).toBe(before + 1);
    expect(events[0]).toMatchObject({
      subType: 'Changed',
      actorLabel: 'admin@example.com',
      details: {
        section: 'Two-Factor Authentication',
        changes: {
          mfaRememberDays: { before: 0, after: 14 },
          smsAllowedCountries: { before: [], after: ['GB', 'IE'] },
          smsSendsPerIpPerHour: { before: 20, after: 5 },
        },
      },
    });
    expect(await saveMfa({ smsAllowedCountries: ['GB', 'IE'] })).toEqual({ changed: [] });
    expect((await settingsEvents()).length).toBe(before + 1);
  });
});

describe('MFA and registration codes: the two-way rule', () => {
  beforeEach(resetAll);

  it('refuses requiring SMS by policy while the method is Registration Code, and saves nothing', async () => {
    await saveMethod('registration_code');
    const before = (await settingsEvents()).length;
    const error = await saveMfa({ mfaPolicy: 'sms_required', mfaRememberDays: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsRefusedError);
    expect(error).toMatchObject({ field: 'mfaPolicy', message: MFA_NEEDS_INVITATIONS });
    expect(MFA_NEEDS_INVITATIONS).toContain("registration codes don't support MFA");
    expect(await getAccountSettings()).toMatchObject({ mfaPolicy: 'off', mfaRememberDays: 14 });
    expect((await settingsEvents()).length).toBe(before);
    // Other MFA settings still save under Registration Code.
    expect(await saveMfa({ mfaRememberDays: 7 })).toEqual({ changed: ['mfaRememberDays'] });
  });

  it('refuses a user override of "required" while the method is Registration Code; default and exempt are fine', async () => {
    const user = await insertTestUser();
    await saveMethod('registration_code');
    const error = await setMfaOverride(user.id, 'required', actor, client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect(error).toMatchObject({ field: 'mfaOverride', message: MFA_NEEDS_INVITATIONS });
    expect(await setMfaOverride(user.id, 'exempt', actor, client)).toEqual({ changed: true });
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(row!.mfaOverride).toBe('exempt');
  });

  it('saves a user override with a User Updated event; with Invitation Email "required" is allowed', async () => {
    const user = await insertTestUser();
    expect(await setMfaOverride(user.id, 'required', actor, client)).toEqual({ changed: true });
    expect(await setMfaOverride(user.id, 'required', actor, client)).toEqual({ changed: false });
    const [event] = await getDb().select().from(schema.events).where(eq(schema.events.subjectUserId, user.id)).orderBy(desc(schema.events.id));
    expect(event).toMatchObject({ type: 'User', subType: 'Updated', details: { changes: { mfaOverride: { before: 'default', after: 'required' } } } });
  });

  it('under the sms_required policy, refuses the switch to Registration Code counting every user who is not exempt', async () => {
    await insertTestUser({ mfaOverride: 'exempt' });
    await insertTestUser({ status: 'invited' });
    await insertTestUser({ status: 'disabled' });
    const requiring = await getDb().$count(schema.users, ne(schema.users.mfaOverride, 'exempt'));
    expect(requiring).toBeGreaterThan(2);
    await saveMfa({ mfaPolicy: 'sms_required' });
    const error = await saveMethod('registration_code').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsRefusedError);
    expect(error).toMatchObject({
      field: 'provisioningMethod',
      usersRequiringMfa: requiring,
      message: `MFA is required for ${requiring} users: the Two-Factor Authentication policy requires SMS for all users who are not exempt; registration codes don't support MFA. Turn the policy off first.`,
    });
    expect((await getAccountSettings()).provisioningMethod).toBe('invitation');

    // Policy off again: nobody requires MFA, the switch goes through.
    await saveMfa({ mfaPolicy: 'off' });
    expect(await saveMethod('registration_code')).toEqual({ changed: ['provisioningMethod'] });
  });

  it('under the sms_required policy with every user exempt, the switch is allowed', async () => {
    await getDb().update(schema.users).set({ mfaOverride: 'exempt' }).where(eq(schema.users.mfaOverride, 'default'));
    await saveMfa({ mfaPolicy: 'sms_required' });
    expect(await saveMethod('registration_code')).toEqual({ changed: ['provisioningMethod'] });
  });
});
