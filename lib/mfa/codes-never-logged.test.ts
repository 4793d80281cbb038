import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { captureOutput } from '@/lib/testing/capture-output';
import { insertTestUser } from '@/lib/testing/factories';
import { startChallenge, verifyChallenge, type ChallengePurpose } from '.';
import { freshMobile, insertTestSession, lastCodeSentTo, setTestSettings, TEST_CLIENT, wrongCode } from './testing';

beforeEach(async () => {
  setClock(new Date('2031-03-04T05:06:07.000Z'));
  await setTestSettings({ smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000, mfaFailuresPerIpPerHour: 10_000 });
});
afterEach(() => resetClock());

describe('SMS codes never appear in logs or events', () => {
  it('through enrolment, wrong and right codes, a resend, a change of number and a sign-in', async () => {
    const user = await insertTestUser({ status: 'active' });
    const sessionId = await insertTestSession(user.id, { mfaState: 'pending' });
    const codes: string[] = [];
    const send = async (purpose: ChallengePurpose, phone?: string) => {
      const sent = await startChallenge({ userId: user.id, sessionId, purpose, phoneE164: phone, client: TEST_CLIENT });
      expect(sent.ok).toBe(true);
      const code = (await lastCodeSentTo(phone ?? first))!;
      codes.push(code);
      return code;
    };
    const verify = (purpose: ChallengePurpose, code: string) => verifyChallenge({ userId: user.id, sessionId, purpose, code, client: TEST_CLIENT });
    const first = freshMobile();
    const second = freshMobile();

    const output = await captureOutput(async () => {
      const enrolCode = await send('enrol', first);
      expect((await verify('enrol', wrongCode(enrolCode))).ok).toBe(false);
      advanceClock(31_000);
      const resent = await send('enrol', first);
      expect((await verify('enrol', enrolCode)).ok).toBe(false);
      expect(await verify('enrol', resent)).toEqual({ ok: true, purpose: 'enrol' });
      const changeCode = await send('change_phone', second);
      expect(await verify('change_phone', changeCode)).toEqual({ ok: true, purpose: 'change_phone' });
      const signInCode = await (async () => {
        const sent = await startChallenge({ userId: user.id, sessionId, purpose: 'sign_in', client: TEST_CLIENT });
        expect(sent.ok).toBe(true);
        const code = (await lastCodeSentTo(second))!;
        codes.push(code);
        return code;
      })();
      expect(await verify('sign_in', signInCode)).toEqual({ ok: true, purpose: 'sign_in' });
    });

    const events = JSON.stringify(await getDb().select().from(schema.events));
    expect(events).toContain('Challenge Passed');
    expect(codes).toHaveLength(4);
    for (const code of codes) {
      expect(output).not.toContain(code);
      expect(events).not.toContain(code);
    }
  });
});
