import { desc, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { getAccountSettings, SettingsRefusedError, updateProvisioningSettings } from '.';

const actor = { type: 'admin' as const, id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };
const client = { ip: '203.0.113.5', userAgent: 'vitest' };

const settingsEvents = () => getDb().select().from(schema.events).where(eq(schema.events.type, 'Settings')).orderBy(desc(schema.events.id));
const save = async (values: Partial<Awaited<ReturnType<typeof getAccountSettings>>>) =>
  updateProvisioningSettings({ ...(await getAccountSettings()), ...values }, actor, client);

describe('Registration Code method and MFA', () => {
  it('refuses to switch to registration codes while users have MFA required, saying how many, and saves nothing', async () => {
    const required = [
      await insertTestUser({ mfaOverride: 'required' }),
      await insertTestUser({ mfaOverride: 'required', status: 'invited' }),
      await insertTestUser({ mfaOverride: 'required', status: 'disabled' }),
    ];
    await insertTestUser({ mfaOverride: 'exempt' });
    await insertTestUser();
    const eventsBefore = (await settingsEvents()).length;

    const error = await save({ provisioningMethod: 'registration_code', codeLifetimeValue: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsRefusedError);
    expect(error).toMatchObject({
      field: 'provisioningMethod',
      usersRequiringMfa: 3,
      message: "MFA is required for 3 users; registration codes don't support MFA. Remove the requirement first.",
    });
    expect(await getAccountSettings()).toMatchObject({ provisioningMethod: 'invitation', codeLifetimeValue: 7 });
    expect((await settingsEvents()).length).toBe(eventsBefore);

    // Other changes under the Invitation Email method are still saved.
    expect(await save({ codeLifetimeValue: 2 })).toEqual({ changed: ['codeLifetimeValue'] });

    const ids = required.map((u) => u.id);
    await getDb().update(schema.users).set({ mfaOverride: 'default' }).where(inArray(schema.users.id, ids.slice(1)));
    await expect(save({ provisioningMethod: 'registration_code' })).rejects.toThrow(
      "MFA is required for 1 user; registration codes don't support MFA. Remove the requirement first.",
    );

    await getDb().update(schema.users).set({ mfaOverride: 'default' }).where(inArray(schema.users.id, ids));
    expect(await save({ provisioningMethod: 'registration_code' })).toEqual({ changed: ['provisioningMethod'] });
    expect((await settingsEvents())[0]!.details).toMatchObject({ changes: { provisioningMethod: { before: 'invitation', after: 'registration_code' } } });
  });

  it('does not block saving other settings once the method already is Registration Code', async () => {
    expect((await getAccountSettings()).provisioningMethod).toBe('registration_code');
    await insertTestUser({ mfaOverride: 'required' });
    expect(await save({ codeLifetimeValue: 3 })).toEqual({ changed: ['codeLifetimeValue'] });
    expect(await save({ provisioningMethod: 'invitation' })).toEqual({ changed: ['provisioningMethod'] });
  });
});
