import { describe, expect, it } from 'vitest';
import { revokeAllSessions } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { applyBulkAction } from '@/lib/users';
import { isBrowserTrusted, trustBrowser } from '.';
import { setTestSettings, TEST_CLIENT } from './testing';

const actor = { type: 'admin' as const, id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };

describe('a remembered browser stops skipping the code when the account is locked down', () => {
  it('disabling users forgets every browser they trusted', async () => {
    await setTestSettings({ mfaRememberDays: 30 });
    const [alice, bob] = [await insertTestUser({ status: 'active' }), await insertTestUser({ status: 'active' })];
    const a = (await trustBrowser(alice.id, TEST_CLIENT))!;
    const b = (await trustBrowser(bob.id, TEST_CLIENT))!;
    expect(await isBrowserTrusted(alice.id, a.token)).toBe(true);
    const result = await applyBulkAction('disable', { ids: [alice.id, bob.id] }, actor, TEST_CLIENT);
    expect(result).toMatchObject({ succeeded: 2, failed: [] });
    expect(await isBrowserTrusted(alice.id, a.token)).toBe(false);
    expect(await isBrowserTrusted(bob.id, b.token)).toBe(false);
  });

  it('ending all of a user’s sessions (password change or reset) forgets them too, and only theirs', async () => {
    await setTestSettings({ mfaRememberDays: 30 });
    const [alice, bob] = [await insertTestUser({ status: 'active' }), await insertTestUser({ status: 'active' })];
    const a = (await trustBrowser(alice.id, TEST_CLIENT))!;
    const b = (await trustBrowser(bob.id, TEST_CLIENT))!;
    await getDb().transaction((tx) => revokeAllSessions(tx, 'user', alice.id));
    expect(await isBrowserTrusted(alice.id, a.token)).toBe(false);
    expect(await isBrowserTrusted(bob.id, b.token)).toBe(true);
  });
});
