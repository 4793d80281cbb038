import 'server-only';
import { count, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import type { ProvisioningInput } from './schemas';

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

/** A change the settings refuse, with the form field it concerns (the action shows it next to that field). */
export class SettingsRefusedError extends Error {
  constructor(
    readonly field: 'provisioningMethod',
    message: string,
    /** For the MFA rule: how many users have MFA required. */
    readonly usersRequiringMfa: number,
  ) {
    super(message);
    this.name = 'SettingsRefusedError';
  }
}

/**
 * Registration codes don't support MFA: switching the method to Registration Code is refused while
 * any user has MFA required (users.mfa_override = 'required').
 */
async function assertCodesAllowed(db: Executor): Promise<void> {
  const u = schema.users;
  const [row] = await db.select({ n: count() }).from(u).where(eq(u.mfaOverride, 'required'));
  const n = row?.n ?? 0;
  if (n === 0) return;
  const users = `${new Intl.NumberFormat('en-US').format(n)} ${n === 1 ? 'user' : 'users'}`;
  throw new SettingsRefusedError('provisioningMethod', `MFA is required for ${users}; registration codes don't support MFA. Remove the requirement first.`, n);
}

/**
 * Saves the User Provisioning settings; one event with the before/after of each changed value.
 * Throws SettingsRefusedError when the method can't switch to Registration Code (see assertCodesAllowed).
 */
export async function updateProvisioningSettings(input: ProvisioningInput, actor: Actor, client: ClientInfo): Promise<{ changed: string[] }> {
  const t = schema.accountSettings;
  return getDb().transaction(async (tx) => {
    await ensureAccountSettings(tx);
    const [current] = await tx.select().from(t).where(eq(t.id, 1)).for('update');
    const keys = Object.keys(input) as (keyof ProvisioningInput)[];
    const changed = keys.filter((k) => current![k] !== input[k]);
    if (changed.length === 0) return { changed };
    if (changed.includes('provisioningMethod') && input.provisioningMethod === 'registration_code') await assertCodesAllowed(tx);
    await tx.update(t).set({ ...input, updatedAt: now() }).where(eq(t.id, 1));
    await writeEvent(tx, {
      kind: EVENT.settingsChanged,
      actor,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { section: 'User Provisioning', changes: Object.fromEntries(changed.map((k) => [k, { before: current![k], after: input[k] }])) },
    });
    return { changed };
  });
}

/** Lifetime of a new registration code in seconds (from the setting at generation time). */
export function codeLifetimeSeconds(settings: Pick<AccountSettings, 'codeLifetimeValue' | 'codeLifetimeUnit'>): number {
  return settings.codeLifetimeValue * (settings.codeLifetimeUnit === 'days' ? 86_400 : 3_600);
}
