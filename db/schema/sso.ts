import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Exactly one row (id = 1) once an admin saves the single sign-on (OpenID Connect) settings. */
export const ssoSettings = pgTable(
  'sso_settings',
  {
    id: integer().primaryKey().default(1),
    enabled: boolean().notNull().default(false),
    /** Shown on the sign-in button: "Sign in with <providerName>". */
    providerName: text().notNull(),
    /** The issuer; its discovery document is <issuer>/.well-known/openid-configuration. https (http for loopback only). */
    issuerUrl: text().notNull(),
    clientId: text().notNull(),
    /** AES-256-GCM under a key derived from ONRAMP_SECRET_KEY (lib/sso/client-secret.ts); never returned. */
    clientSecretEncrypted: text(),
    scopes: text().notNull().default('openid email profile'),
    emailClaim: text().notNull().default('email'),
    usernameClaim: text().notNull().default('preferred_username'),
    /** Users may also sign in with a password (admins always may). */
    allowPasswordSignIn: boolean().notNull().default(true),
    /** Off: only users that already exist may sign in with SSO. */
    createUsers: boolean().notNull().default(false),
    /** Off: the identity provider does MFA; on: the SMS code is asked after SSO as after a password. */
    requireSmsMfa: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('sso_settings_single_row', sql`${t.id} = 1`)],
);
