import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const provisioningMethod = pgEnum('provisioning_method', ['invitation', 'registration_code']);
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
  ],
);
