import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const provisioningMethod = pgEnum('provisioning_method', ['invitation', 'registration_code']);
export const mfaPolicy = pgEnum('mfa_policy', ['off', 'sms_required']);
export const lifetimeUnit = pgEnum('lifetime_unit', ['hours', 'days']);

/** Exactly one row (id = 1): the organisation's settings. Later issues add columns. */
export const accountSettings = pgTable(
  'account_settings',
  {
    id: integer().primaryKey().default(1),
    organisationName: text().notNull().default('Onramp'),
    defaultPhoneCountry: text().notNull().default('US'),
    provisioningMethod: provisioningMethod().notNull().default('invitation'),
    inviteManualUsers: boolean().notNull().default(true),
    inviteDirectoryUsers: boolean().notNull().default(true),
    notifyDisabledUsers: boolean().notNull().default(false),
    invitationLifetimeDays: integer().notNull().default(7),
    codeLifetimeValue: integer().notNull().default(7),
    codeLifetimeUnit: lifetimeUnit().notNull().default('days'),
    codeLength: integer().notNull().default(12),
    mfaPolicy: mfaPolicy().notNull().default('off'),
    /** "Remember this device" after a correct code: 0 = never, at most 30 days. */
    mfaRememberDays: integer().notNull().default(0),
    /** ISO 3166 alpha-2 countries SMS may go to; empty = all (toll-fraud protection when set). */
    smsAllowedCountries: text().array().notNull().default(sql`'{}'::text[]`),
    /** Per-IP caps: SMS codes sent and wrong codes, per hour. */
    smsSendsPerIpPerHour: integer().notNull().default(20),
    mfaFailuresPerIpPerHour: integer().notNull().default(50),
    /** Events older than this many days are deleted by the prune-events job. */
    eventRetentionDays: integer().notNull().default(365),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('account_settings_single_row', sql`${t.id} = 1`),
    check('account_settings_invitation_days', sql`${t.invitationLifetimeDays} between 1 and 30`),
    check(
      'account_settings_code_lifetime',
      sql`${t.codeLifetimeValue} >= 1 and ((${t.codeLifetimeUnit} = 'days' and ${t.codeLifetimeValue} <= 7) or (${t.codeLifetimeUnit} = 'hours' and ${t.codeLifetimeValue} <= 168))`,
    ),
    check('account_settings_code_length', sql`${t.codeLength} between 10 and 24`),
    check('account_settings_mfa_remember_days', sql`${t.mfaRememberDays} between 0 and 30`),
    check('account_settings_event_retention', sql`${t.eventRetentionDays} between 7 and 3650`),
    check('account_settings_sms_ip_caps', sql`${t.smsSendsPerIpPerHour} between 1 and 10000 and ${t.mfaFailuresPerIpPerHour} between 1 and 10000`),
  ],
);
