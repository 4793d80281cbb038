import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { authSessions } from './auth';
import { users } from './users';

/** A user's SMS second factor: the verified number, failures and lock, and the last number removed. */
export const mfaFactors = pgTable('mfa_factors', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The verified number (E.164); null after the factor is removed. */
  phoneE164: text(),
  verifiedAt: timestamp({ withTimezone: true }),
  /** The last verified number, reused when the user sets the factor up again without entering one. */
  previousPhoneE164: text(),
  /** Consecutive wrong codes across challenges; 100 locks the factor until an admin unlocks it. */
  failureCount: integer().notNull().default(0),
  lockedAt: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const mfaChallengePurpose = pgEnum('mfa_challenge_purpose', ['sign_in', 'enrol', 'change_phone']);

/**
 * One SMS code sent for one purpose to one number, bound to the browser session that asked for it.
 * Only the code's HMAC is stored. A resend makes a new challenge and invalidates the previous one.
 */
export const mfaChallenges = pgTable(
  'mfa_challenges',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid().references(() => authSessions.id, { onDelete: 'cascade' }),
    purpose: mfaChallengePurpose().notNull(),
    phoneE164: text().notNull(),
    codeHash: text().notNull(),
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    invalidatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('mfa_challenges_user_idx').on(t.userId, t.createdAt), index('mfa_challenges_session_idx').on(t.sessionId, t.createdAt)],
);

export const smsStatus = pgEnum('sms_status', [
  'refused',
  'accepted',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'dev_outbox',
]);

/** Every SMS Onramp tried to send, with Twilio's delivery status (updated by the status callback). */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    challengeId: uuid(),
    /** What the message was for: mfa_code, phone_changed_notice… */
    purpose: text().notNull(),
    toE164: text().notNull(),
    transport: text().notNull(),
    twilioSid: text(),
    status: smsStatus().notNull(),
    /** Twilio's error code (21211, 30003…), or null. */
    errorCode: integer(),
    errorMessage: text(),
    ip: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_messages_twilio_sid_key').on(t.twilioSid),
    index('sms_messages_to_idx').on(t.toE164, t.createdAt),
    index('sms_messages_user_idx').on(t.userId, t.createdAt),
    index('sms_messages_failed_idx')
      .on(t.createdAt)
      .where(sql`${t.status} in ('refused', 'undelivered', 'failed')`),
  ],
);

/** A browser the user chose to trust after a correct code ("remember this device"); the cookie holds a token whose SHA-256 is here. */
export const trustedBrowsers = pgTable(
  'trusted_browsers',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    userAgent: text(),
    ip: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('trusted_browsers_token_key').on(t.tokenHash), index('trusted_browsers_user_idx').on(t.userId)],
);
