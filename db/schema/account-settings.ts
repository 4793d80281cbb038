import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Exactly one row (id = 1): the organisation's settings. Later issues add columns. */
export const accountSettings = pgTable(
  'account_settings',
  {
    id: integer().primaryKey().default(1),
    organisationName: text().notNull().default('Onramp'),
    defaultPhoneCountry: text().notNull().default('US'),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('account_settings_single_row', sql`${t.id} = 1`)],
);
