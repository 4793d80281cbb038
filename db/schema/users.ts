import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const userSource = pgEnum('user_source', ['manual', 'directory']);
export const userStatus = pgEnum('user_status', ['invited', 'active', 'disabled']);

/** The VPN/SDP users who use the portal. */
export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    firstName: text().notNull().default(''),
    lastName: text().notNull().default(''),
    email: text().notNull(),
    username: text().notNull(),
    source: userSource().notNull().default('manual'),
    status: userStatus().notNull().default('invited'),
    /** E.164, or null when the user has no usable number. */
    phoneE164: text(),
    passwordHash: text(),
    sessionVersion: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    index('users_status_idx').on(t.status),
    index('users_created_at_idx').on(t.createdAt, t.id),
  ],
);
