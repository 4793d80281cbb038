import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { schema } from '@/db/client';
import { EVENT, prepareEventsCopy, SecretInEventError, SYSTEM_ACTOR, writeEvent } from '.';
import { isSecretFieldName } from './secret-fields';

describe('event writer', () => {
  it('stores an event with its fields', async () => {
    await writeEvent(getDb(), {
      kind: EVENT.adminCreated,
      actor: SYSTEM_ACTOR,
      ip: '203.0.113.9',
      details: { email: 'a@example.com', errorCode: 21211, countryCode: 'GB' },
    });
    const rows = await getDb().select().from(schema.events);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'Admin', subType: 'Created', actorType: 'system', ip: '203.0.113.9', outcome: 'success' });
    expect(rows[0]!.details).toEqual({ email: 'a@example.com', errorCode: 21211, countryCode: 'GB' });
  });

  it.each([
    [{ password: 'x' }, 'password'],
    [{ user: { newPassword: 'x' } }, 'user.newPassword'],
    [{ code: 'ABCD' }, 'code'],
    [{ registration_code: 'ABCD' }, 'registration_code'],
    [{ otp: '123456' }, 'otp'],
    [{ items: [{ token: 't' }] }, 'items[0].token'],
    [{ bindPassword: 'x' }, 'bindPassword'],
    [{ apiKey: 'x' }, 'apiKey'],
    [{ passwordHash: 'x' }, 'passwordHash'],
  ])('refuses %j and writes nothing', async (details, field) => {
    const before = (await getDb().select().from(schema.events)).length;
    const attempt = writeEvent(getDb(), { kind: EVENT.adminCreated, actor: SYSTEM_ACTOR, details });
    await expect(attempt).rejects.toBeInstanceOf(SecretInEventError);
    await expect(attempt).rejects.toThrow(field);
    expect((await getDb().select().from(schema.events)).length).toBe(before);
  });

  it('refuses secret-looking fields in events prepared for COPY too', () => {
    const ok = { kind: EVENT.codeGenerated, actor: SYSTEM_ACTOR, details: { registrationId: 'r1' } };
    expect(prepareEventsCopy([ok]).rowCount).toBe(1);
    expect(() => prepareEventsCopy([ok, { ...ok, details: { code: 'ABCD' } }])).toThrow(SecretInEventError);
  });

  it('allows harmless names that contain a secret-looking word', () => {
    for (const name of ['errorCode', 'statusCode', 'countryCode', 'callingCode', 'keyId', 'email', 'reason']) {
      expect(isSecretFieldName(name)).toBe(false);
    }
  });

  it('rolls back with the transaction it was written in', async () => {
    const before = (await getDb().select().from(schema.events)).length;
    await expect(
      getDb().transaction(async (tx) => {
        await writeEvent(tx, { kind: EVENT.adminUpdated, actor: SYSTEM_ACTOR });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect((await getDb().select().from(schema.events)).length).toBe(before);
  });
});
