import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** A user's SMS second factor (the SMS issue adds challenges, trusted browsers and messages). */
export const mfaFactors = pgTable('mfa_factors', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  phoneE164: text(),
  verifiedAt: timestamp({ withTimezone: true }),
  previousPhoneE164: text(),
  failureCount: integer().notNull().default(0),
  lockedAt: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
