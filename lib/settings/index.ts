import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { assertCodesAllowed, assertMfaPolicyAllowed } from './mfa-rule';
import type { EventSettingsInput, MfaSettingsInput, ProvisioningInput } from './schemas';

export { SettingsRefusedError } from './settings-errors';
export { MFA_NEEDS_INVITATIONS, countUsersRequiringMfa } from './mfa-rule';

export interface AccountSettings {
  organisationName: string;
  defaultPhoneCountry: string;
  provisioningMethod: 'invitation' | 'registration_code';
  inviteManualUsers: boolean;
  inviteDirectoryUsers: boolean;
  notifyDisabledUsers: boolean;
  invitationLifetimeDays: number;
  codeLifetimeValue: number;
  codeLifetimeUnit: 'hours' | 'days';
  codeLength: number;
  mfaPolicy: 'off' | 'sms_required';
  mfaRememberDays: number;
  smsAllowedCountries: string[];
  smsSendsPerIpPerHour: number;
  mfaFailuresPerIpPerHour: number;
  eventRetentionDays: number;
}

const DEFAULTS: AccountSettings = {
  organisationName: 'Onramp',
  defaultPhoneCountry: 'US',
  provisioningMethod: 'invitation',
  inviteManualUsers: true,
  inviteDirectoryUsers: true,
  notifyDisabledUsers: false,
  invitationLifetimeDays: 7,
  codeLifetimeValue: 7,
  codeLifetimeUnit: 'days',
  codeLength: 12,
  mfaPolicy: 'off',
  mfaRememberDays: 0,
  smsAllowedCountries: [],
  smsSendsPerIpPerHour: 20,
  mfaFailuresPerIpPerHour: 50,
  eventRetentionDays: 365,
};

/** Creates the single settings row if it is missing (safe to run on every start). */
export async function ensureAccountSettings(db: Executor = getDb()): Promise<void> {
  await db.insert(schema.accountSettings).values({ id: 1 }).onConflictDoNothing();
}

export async function getAccountSettings(db: Executor = getDb()): Promise<AccountSettings> {
  const t = schema.accountSettings;
  const [row] = await db.select().from(t).where(eq(t.id, 1));
  if (!row) return DEFAULTS;
  const { id: _id, updatedAt: _u, ...settings } = row;
  return settings;
}

type SettingsRow = typeof schema.accountSettings.$inferSelect;
type SectionInput = Partial<Omit<SettingsRow, 'id' | 'updatedAt'>>;

const same = (a: unknown, b: unknown) => (Array.isArray(a) || Array.isArray(b) ? JSON.stringify(a) === JSON.stringify(b) : a === b);

/**
 * Saves one settings section under a row lock: `check` may refuse the change (SettingsRefusedError) before
 * anything is written; one Settings Changed event records the before/after of each changed value.
 */
async function saveSection<I extends SectionInput>(
  section: string,
  input: I,
  actor: Actor,
  client: ClientInfo,
  check: (tx: Executor, current: SettingsRow, changed: (keyof I)[]) => Promise<void>,
): Promise<{ changed: string[] }> {
  const t = schema.accountSettings;
  return getDb().transaction(async (tx) => {
    await ensureAccountSettings(tx);
    const [current] = await tx.select().from(t).where(eq(t.id, 1)).for('update');
    const keys = Object.keys(input) as (keyof I & keyof SettingsRow)[];
    const changed = keys.filter((k) => !same(current![k], input[k]));
    if (changed.length === 0) return { changed: [] };
    await check(tx, current!, changed);
    await tx.update(t).set({ ...input, updatedAt: now() }).where(eq(t.id, 1));
    await writeEvent(tx, {
      kind: EVENT.settingsChanged,
      actor,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { section, changes: Object.fromEntries(changed.map((k) => [k, { before: current![k], after: input[k] }])) },
    });
    return { changed: changed as string[] };
  });
}

/**
 * Saves the User Provisioning settings; one event with the before/after of each changed value.
 * Throws SettingsRefusedError when the method can't switch to Registration Code (see lib/settings/mfa-rule.ts).
 */
export async function updateProvisioningSettings(input: ProvisioningInput, actor: Actor, client: ClientInfo): Promise<{ changed: string[] }> {
  return saveSection('User Provisioning', input, actor, client, async (tx, current, changed) => {
    if (changed.includes('provisioningMethod') && input.provisioningMethod === 'registration_code') await assertCodesAllowed(tx, current.mfaPolicy);
  });
}

/**
 * Saves the Two-Factor Authentication settings; one event with the before/after of each changed value.
 * Throws SettingsRefusedError when SMS would be required while the method is Registration Code.
 */
export async function updateMfaSettings(input: MfaSettingsInput, actor: Actor, client: ClientInfo): Promise<{ changed: string[] }> {
  return saveSection('Two-Factor Authentication', input, actor, client, async (_tx, current, changed) => {
    if (changed.includes('mfaPolicy') && input.mfaPolicy === 'sms_required') assertMfaPolicyAllowed(current.provisioningMethod);
  });
}

/** Saves the event log's retention; one Settings Changed event with before/after. */
export async function updateEventSettings(input: EventSettingsInput, actor: Actor, client: ClientInfo): Promise<{ changed: string[] }> {
  return saveSection('Event Log', input, actor, client, async () => {});
}

/** Lifetime of a new registration code in seconds (from the setting at generation time). */
export function codeLifetimeSeconds(settings: Pick<AccountSettings, 'codeLifetimeValue' | 'codeLifetimeUnit'>): number {
  return settings.codeLifetimeValue * (settings.codeLifetimeUnit === 'days' ? 86_400 : 3_600);
}
