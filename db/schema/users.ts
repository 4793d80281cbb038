import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { caseFoldedKey } from '../case-folded-key';

export const userSource = pgEnum('user_source', ['manual', 'directory']);
export const userStatus = pgEnum('user_status', ['invited', 'active', 'disabled']);
/** How usable the stored phone number is for SMS. */
export const phoneStatus = pgEnum('phone_status', ['ok', 'country_assumed', 'missing_country_code', 'invalid', 'missing']);
export const mfaOverride = pgEnum('mfa_override', ['default', 'required', 'exempt']);

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
    phoneStatus: phoneStatus().notNull().default('missing'),
    /** The value as entered or as the directory holds it (kept to show what to fix). */
    phoneRaw: text(),
    /** Which directory attribute gave the number (mobile, telephoneNumber…); null for manual entry. */
    phoneSource: text(),
    directoryId: text(),
    directoryDn: text(),
    mfaOverride: mfaOverride().notNull().default('default'),
    passwordHash: text(),
    sessionVersion: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp({ withTimezone: true }),
    disabledAt: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_key').on(caseFoldedKey(t.email)),
    uniqueIndex('users_username_key').on(caseFoldedKey(t.username)),
    uniqueIndex('users_directory_id_key').on(t.directoryId),
    index('users_status_idx').on(t.status, t.createdAt, t.id),
    index('users_source_idx').on(t.source, t.createdAt, t.id),
    // Only the numbers that need fixing: the filter and the phone health report look for those.
    index('users_phone_problem_idx').on(t.phoneStatus).where(sql`${t.phoneStatus} <> 'ok'`),
    index('users_created_at_idx').on(t.createdAt, t.id),
    index('users_last_name_idx').on(sql`lower(${t.lastName})`, sql`lower(${t.firstName})`, t.id),
    index('users_first_name_prefix_idx').on(sql`lower(${t.firstName}) text_pattern_ops`),
    index('users_last_name_prefix_idx').on(sql`lower(${t.lastName}) text_pattern_ops`),
  ],
);
