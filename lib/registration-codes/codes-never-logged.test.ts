import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import { captureOutput } from '@/lib/testing/capture-output';
import { insertTestUser } from '@/lib/testing/factories';
import { sweepExpiredCodes } from './expire-codes';
import { redeemCode } from './redeem-code';
import { revokeCode } from './revoke-code';
import { generateTestCode, TEST_CLIENT } from './testing';

/** The forms a code could leak in: grouped, bare, and lower case. */
const leakForms = (code: string) => {
  const bare = code.replaceAll('-', '');
  return [code, bare, bare.toLowerCase(), code.toLowerCase()];
};

const T0 = new Date('2032-01-01T09:00:00.000Z');
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

describe('registration codes never appear in logs or events', () => {
  it('through generation, redemption, every refusal, revocation and the expiry sweep', async () => {
    const user = await insertTestUser();
    const codes: string[] = [];
    const device = { name: 'Laptop', platform: 'linux' } as const;
    const output = await captureOutput(async () => {
      const used = await generateTestCode(user.id);
      const revoked = await generateTestCode(user.id);
      const expiring = await generateTestCode(user.id);
      codes.push(used.code, revoked.code, expiring.code);
      expect((await redeemCode({ code: used.code, device }, TEST_CLIENT)).ok).toBe(true);
      expect(await redeemCode({ code: used.code.toLowerCase(), device }, TEST_CLIENT)).toMatchObject({ ok: false, code: 'code_used' });
      expect(await revokeCode(revoked.id, SYSTEM_ACTOR, TEST_CLIENT)).toEqual({ ok: true });
      expect(await redeemCode({ code: revoked.code, device }, TEST_CLIENT)).toMatchObject({ ok: false, code: 'code_revoked' });
      setClock(expiring.expiresAt);
      expect(await redeemCode({ code: expiring.code, device }, TEST_CLIENT)).toMatchObject({ ok: false, code: 'code_expired' });
      await sweepExpiredCodes();
      // A well-formed code that doesn't exist, and a malformed one, are refused without echoing them.
      const unknown = 'ABCD-EFGH-JKMN';
      codes.push(unknown);
      expect(await redeemCode({ code: unknown, device }, TEST_CLIENT)).toMatchObject({ ok: false, code: 'code_not_found' });
    });
    const events = JSON.stringify(await getDb().select().from(schema.events));
    expect(events.length).toBeGreaterThan(100);
    for (const code of codes) {
      for (const form of leakForms(code)) {
        expect(output).not.toContain(form);
        expect(events).not.toContain(form);
      }
    }
  });
});
