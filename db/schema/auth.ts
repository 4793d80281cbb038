import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const realm = pgEnum('realm', ['admin', 'user']);
/** none: no second factor needed; pending: password accepted, SMS code still owed; passed: code accepted or browser trusted. */
export const sessionMfaState = pgEnum('session_mfa_state', ['none', 'pending', 'passed']);

/** One row per signed-in browser session; the JWT carries its id. Gives idle timeout and revocation. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    realm: realm().notNull(),
    principalId: uuid().notNull(),
    sessionVersion: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    ip: text(),
    userAgent: text(),
    mfaState: sessionMfaState().notNull().default('none'),
    /** When the user last re-entered their password in this session (guards the 2FA change flow). */
    reauthenticatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('auth_sessions_principal_idx').on(t.realm, t.principalId)],
);

/** Fixed-window counters shared by every instance. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)],
);

export const tokenPurpose = pgEnum('token_purpose', ['setup', 'invitation', 'password_reset']);

/** Single-use link tokens: only the SHA-256 of the token is stored. */
export const singleUseTokens = pgTable(
  'single_use_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    purpose: tokenPurpose().notNull(),
    tokenHash: text().notNull().unique(),
    subjectId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    invalidatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('single_use_tokens_subject_idx').on(t.purpose, t.subjectId)],
);
