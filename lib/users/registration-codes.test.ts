import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { getAccountSettings, updateProvisioningSettings, type AccountSettings } from '@/lib/settings';
import { insertTestUser } from '@/lib/testing/factories';
import { applyBulkAction, createManualUser } from '.';

const actor = { type: 'admin' as const, id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };
const client = { ip: '203.0.113.5', userAgent: 'vitest' };
const rc = schema.registrationCodes;

const codesOf = (userIds: string[]) => getDb().select().from(rc).where(inArray(rc.userId, userIds));
const generatedEventsOf = (userIds: string[]) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.type, 'Registration Code'), eq(schema.events.subType, 'Generated'), inArray(schema.events.subjectUserId, userIds)));

async function useSettings(values: Partial<AccountSettings>) {
  await updateProvisioningSettings({ ...(await getAccountSettings()), ...values }, actor, client);
}

const tagged = () => `codes.${Math.random().toString(36).slice(2, 8)}`;

describe('bulk "Generate registration code"', () => {
  it('gives each selected user one new code, even users who hold some, and skips disabled and missing users with the reason', async () => {
    const active = await insertTestUser();
    const invited = await insertTestUser({ status: 'invited' });
    const disabled = await insertTestUser({ status: 'disabled' });
    const missing = '00000000-0000-4000-8000-00000000dead';
    expect((await applyBulkAction('generate_code', { ids: [active.id] }, actor, client)).succeeded).toBe(1);

    const result = await applyBulkAction('generate_code', { ids: [active.id, invited.id, disabled.id, missing, invited.id] }, actor, client);
    expect(result).toEqual({
      succeeded: 2,
      failed: [],
      skipped: expect.arrayContaining([
        { id: disabled.id, email: disabled.email, reason: 'Disabled: enable the user first.' },
        { id: missing, email: '', reason: 'No longer exists.' },
      ]),
    });
    expect(result.skipped).toHaveLength(2);
    const codes = await codesOf([active.id, invited.id, disabled.id]);
    expect(codes.filter((c) => c.userId === active.id)).toHaveLength(2);
    expect(codes.filter((c) => c.userId === invited.id)).toHaveLength(1);
    expect(codes.filter((c) => c.userId === disabled.id)).toHaveLength(0);
    expect(codes.every((c) => c.status === 'valid')).toBe(true);
    const events = await generatedEventsOf([active.id, invited.id]);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.actorType === 'admin' && e.actorId === actor.id && e.ip === client.ip)).toBe(true);
  });

  it('gives every user matching a filter a code, over more users than one batch', async () => {
    const tag = tagged();
    const rows = Array.from({ length: 1_200 }, (_, i) => ({ email: `${tag}.${i}@example.com`, username: `${tag}.${i}`, status: 'active' as const }));
    const ids = (await getDb().insert(schema.users).values(rows).returning({ id: schema.users.id })).map((r) => r.id);
    const disabled = await insertTestUser({ email: `${tag}.disabled@example.com`, status: 'disabled' });
    const outsider = await insertTestUser();

    const result = await applyBulkAction('generate_code', { filter: { q: tag } }, actor, client);
    expect(result.succeeded).toBe(1_200);
    expect(result.skipped).toEqual([{ id: disabled.id, email: disabled.email, reason: 'Disabled: enable the user first.' }]);
    const codes = await codesOf([...ids, disabled.id, outsider.id]);
    expect(codes).toHaveLength(1_200);
    expect(new Set(codes.map((c) => c.userId)).size).toBe(1_200);

    // Filter by code state: only the users without a valid code get one.
    const late = await insertTestUser({ email: `${tag}.late@example.com` });
    const again = await applyBulkAction('generate_code', { filter: { q: tag, code: 'none', status: 'active' } }, actor, client);
    expect(again).toEqual({ succeeded: 1, failed: [], skipped: [] });
    expect(await codesOf([late.id])).toHaveLength(1);
  });
});

describe('new manual users under the Registration Code method', () => {
  it('get a code automatically once the user is committed, and no invitation', async () => {
    await useSettings({ provisioningMethod: 'registration_code' });
    const email = `${tagged()}@example.com`;
    const created = await createManualUser({ firstName: 'Rita', lastName: 'Code', email }, actor, client);
    expect(created).toEqual({ id: expect.any(String), invitation: 'not_sent', code: 'generated' });
    const codes = await codesOf([created.id]);
    expect(codes.map((c) => c.status)).toEqual(['valid']);
    const events = await getDb().select().from(schema.events).where(eq(schema.events.subjectUserId, created.id));
    expect(events.map((e) => `${e.type}/${e.subType}`).sort()).toEqual(['Registration Code/Generated', 'User/Created']);
    const [user] = await getDb().select().from(schema.users).where(eq(schema.users.id, created.id));
    expect(user!.status).toBe('invited');
  });

  it('get none under the Invitation Email method', async () => {
    await useSettings({ provisioningMethod: 'invitation', inviteManualUsers: false });
    const created = await createManualUser({ firstName: 'Ivan', lastName: 'Invite', email: `${tagged()}@example.com` }, actor, client);
    expect(created).toEqual({ id: expect.any(String), invitation: 'not_sent', code: 'not_generated' });
    expect(await codesOf([created.id])).toEqual([]);
  });
});
