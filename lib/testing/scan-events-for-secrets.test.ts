import { describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb, type Executor } from '@/lib/db';
import { configureDirectory } from '@/lib/directory/testing';
import { getEnv } from '@/lib/env';
import { EVENT, SYSTEM_ACTOR, writeEvent } from '@/lib/events';
import { storeOutboxMessage } from '@/lib/outbox';
import { hashPassword } from '@/lib/passwords';
import { generateTestCode } from '@/lib/registration-codes/testing';
import { insertTestUser } from './factories';
import { describeFindings, scanEventsForSecrets, type ScanOptions, type SecretFinding } from './scan-events-for-secrets';

type PlantedEvent = Partial<typeof schema.events.$inferInsert>;

class RolledBack extends Error {}

/**
 * Plants events straight into the table (past the writer's checks, as a careless producer's SQL
 * could), scans inside the same transaction, and rolls the plants back, so this file's own
 * after-file scan (lib/testing/setup-file.ts) stays clean.
 */
async function scanWith(planted: PlantedEvent[], options: ScanOptions = {}): Promise<SecretFinding[]> {
  let findings: SecretFinding[] = [];
  await getDb()
    .transaction(async (tx: Executor) => {
      for (const row of planted) await tx.insert(schema.events).values({ type: 'Test', subType: 'Planted', actorType: 'system', ...row });
      findings = await scanEventsForSecrets(tx, options);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return findings;
}

const code = async () => (await generateTestCode((await insertTestUser()).id)).code;
const SMS_CODE = '480913';
const LINK_TOKEN = 'q8Zk1vT3mW0xY5nB7cR2dF4gH6jK9pL1sA3uE5iO7rN';

interface PlantCase {
  secret: string;
  /** Returns the event to plant and the scan's options. */
  arrange: () => Promise<{ event: PlantedEvent; options?: ScanOptions }>;
  expected: Partial<SecretFinding>;
}

const PLANTS: PlantCase[] = [
  {
    secret: 'a detail field named like a secret',
    arrange: async () => ({ event: { details: { user: { oneTimePassword: 'x' } } } }),
    expected: { rule: 'secret-field-name', field: 'details.user.oneTimePassword' },
  },
  {
    secret: 'a registration code in its display form',
    arrange: async () => ({ event: { details: { note: `typed ${await code()}` } } }),
    expected: { rule: 'known-secret', source: 'registration code', field: 'details.note' },
  },
  {
    secret: 'a registration code typed in lower case without hyphens',
    arrange: async () => ({ event: { actorLabel: (await code()).replace(/-/g, '').toLowerCase() } }),
    expected: { rule: 'known-secret', source: 'registration code', field: 'actor_label' },
  },
  {
    secret: 'an SMS code from the dev outbox',
    async arrange() {
      await storeOutboxMessage(getDb(), { channel: 'sms', recipient: '+447400100999', bodyText: `Your Onramp verification code is ${SMS_CODE}.` });
      return { event: { userAgent: `Agent/1.0 (${SMS_CODE})` } };
    },
    expected: { rule: 'known-secret', source: 'outbox sms to +447400100999', field: 'user_agent' },
  },
  {
    secret: 'an activation token from an email in the dev outbox',
    async arrange() {
      await storeOutboxMessage(getDb(), { channel: 'email', recipient: 'ann@example.com', subject: 'Activate', bodyText: `Open http://localhost:3000/activate/${LINK_TOKEN}` });
      return { event: { details: { link: `/activate/${LINK_TOKEN}` } } };
    },
    expected: { rule: 'known-secret', source: 'outbox email to ann@example.com', field: 'details.link' },
  },
  {
    secret: 'a token from a message sent outside the outbox (an SMTP sink)',
    arrange: async () => ({ event: { ip: 'Zx9' + LINK_TOKEN.slice(3) }, options: { messageBodies: [`https://vpn.example.com/reset-password/Zx9${LINK_TOKEN.slice(3)}`] } }),
    expected: { rule: 'known-secret', source: 'message sent', field: 'ip' },
  },
  {
    secret: 'a password the tests typed',
    arrange: async () => ({ event: { details: { reason: 'they typed correct horse battery staple' } }, options: { knownSecrets: ['correct horse battery staple'] } }),
    expected: { rule: 'known-secret', source: 'known value', field: 'details.reason' },
  },
  {
    secret: 'the directory bind password',
    async arrange() {
      await configureDirectory({ url: 'ldap://127.0.0.1:1', readerDn: 'cn=reader,dc=example,dc=org', readerPassword: 'bind pass for the scan', baseDn: 'dc=example,dc=org' });
      return { event: { details: { error: 'bind as cn=reader with bind pass for the scan failed' } } };
    },
    expected: { rule: 'known-secret', source: 'directory bind password', field: 'details.error' },
  },
  {
    secret: "a user's password hash",
    async arrange() {
      const user = await insertTestUser({ passwordHash: await hashPassword('a hashed passphrase') });
      return { event: { details: { row: { hash_of_it: user.passwordHash } } } };
    },
    expected: { rule: 'known-secret', source: 'user password hash', field: 'details.row.hash_of_it' },
  },
  {
    secret: 'the server key (ONRAMP_SECRET_KEY)',
    arrange: async () => ({ event: { details: { config: getEnv().ONRAMP_SECRET_KEY.toString('hex') } } }),
    expected: { rule: 'known-secret', source: 'ONRAMP_SECRET_KEY', field: 'details.config' },
  },
  {
    secret: 'an unknown registration-code-shaped value',
    arrange: async () => ({ event: { details: { note: 'code K7QM-X4TW-9PRB was typed' } } }),
    expected: { rule: 'registration-code-shape', field: 'details.note' },
  },
  {
    secret: 'an unknown standalone 6-digit value',
    arrange: async () => ({ event: { details: { attempts: ['314159'] } } }),
    expected: { rule: 'six-digit-code', field: 'details.attempts[0]' },
  },
  {
    secret: 'an unknown long base64url run',
    arrange: async () => ({ event: { details: { cookie_value_seen: 'eyJhbGciOiJIUzI1NiJ9_dGhpcyBpcyBub3QgYSB0b2tlbg' } } }),
    expected: { rule: 'long-random-run', field: 'details.cookie_value_seen' },
  },
  {
    secret: 'an unknown long hex run (a Twilio auth token)',
    arrange: async () => ({ event: { details: { twilio: { auth: '0f3c9a1b2d4e6f8091a2b3c4d5e6f708' } } } }),
    expected: { rule: 'long-random-run', field: 'details.twilio.auth' },
  },
  {
    secret: 'a secret used as a detail key',
    arrange: async () => ({ event: { details: { [SMS_CODE]: true } } }),
    expected: { rule: 'six-digit-code', field: 'details (key)' },
  },
];

describe('scanEventsForSecrets', () => {
  it.each(PLANTS)('finds $secret', async ({ arrange, expected }) => {
    const { event, options } = await arrange();
    const findings = await scanWith([event], options);
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'Test · Planted', ...expected }));
    // The report names where it is and masks the value.
    expect(describeFindings(findings)).toMatch(/^\d+ secret-looking value\(s\) in stored events:\n- event #\d+ \(Test · Planted\) /);
  });

  it('finds nothing in events that only look like secrets: ids, SIDs, certificates, addresses, numbers, masks and dates', async () => {
    await storeOutboxMessage(getDb(), { channel: 'sms', recipient: '+447400100998', bodyText: 'Your Onramp verification code is 271828.' });
    const findings = await scanWith([
      {
        actorLabel: 'nobody.0.123456@example.com',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36',
        ip: '2001:db8::1',
        details: {
          sessionId: '3f8e2a57-6c1d-4b9e-8a0f-5d4c3b2a1908',
          path: '/admin/users/3f8e2a57-6c1d-4b9e-8a0f-5d4c3b2a1908/devices',
          messageSid: `SM${'0123456789abcdef'.repeat(2)}`,
          accountSid: `AC${'fedcba9876543210'.repeat(2)}`,
          caPem: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2xK7vY3mZ8pL1sA3uE5iO7rN9wwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----',
          phoneRaw: '+44 7400 123456',
          maskedPhone: '+44 •••• ••8750',
          at: '2030-03-04T08:00:00.123Z',
          storedAt: '2030-03-04 08:00:00.123456+00',
          count: 123456,
          errorCode: 21211,
          route: 'api/v1/client/session/and/some/more/segments',
          status: 'DELIVERED',
          reason: 'wrong code: 1 of 5 tries left',
        },
      },
    ]);
    expect(findings).toEqual([]);
  });

  it('finds nothing in the events the writer stores for ordinary actions', async () => {
    await writeEvent(getDb(), { kind: EVENT.settingsChanged, actor: SYSTEM_ACTOR, details: { section: 'User Provisioning', changes: { invitationLifetimeDays: { before: 7, after: 8 } } } });
    expect(await scanEventsForSecrets(getDb())).toEqual([]);
  });
});
