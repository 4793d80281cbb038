import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const codeStatus = pgEnum('registration_code_status', ['valid', 'used', 'revoked', 'expired']);
export const devicePlatform = pgEnum('device_platform', ['windows', 'macos', 'linux', 'ios', 'android']);

/**
 * One-time per-device codes: an HMAC lookup key and AES-GCM ciphertext, never the code itself.
 * `user_id` refers to users(id) with ON DELETE CASCADE semantics, kept by statement-level triggers
 * instead of a foreign key (migration 0010): a foreign key checks and locks the user once per row,
 * which was a fifth of the cost of generating 100,000 codes; the triggers check once per statement.
 */
export const registrationCodes = pgTable(
  'registration_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    lookup: text().notNull(),
    ciphertext: text().notNull(),
    status: codeStatus().notNull().default('valid'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    deviceId: uuid(),
  },
  (t) => [
    uniqueIndex('registration_codes_lookup_key').on(t.lookup),
    index('registration_codes_user_idx').on(t.userId, t.status, t.expiresAt),
    // The admin list's order (newest first, id breaks ties), unfiltered and by stored status.
    index('registration_codes_created_idx').on(t.createdAt, t.id),
    index('registration_codes_status_created_idx').on(t.status, t.createdAt, t.id),
  ],
);

/** A registered VPN client: its bearer credential is stored only as SHA-256. */
export const devices = pgTable(
  'devices',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    platform: devicePlatform().notNull(),
    credentialHash: text().notNull(),
    registrationCodeId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('devices_credential_key').on(t.credentialHash), index('devices_user_idx').on(t.userId)],
);
