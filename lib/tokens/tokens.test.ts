import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rowsOf, schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db';
import { consumeToken, inspectToken, invalidateTokens, issueToken } from '.';

afterEach(() => {
  resetClock();
});

const HOUR = 3600;

async function rowOf(token: string) {
  const [row] = await getDb()
    .select()
    .from(schema.singleUseTokens)
    .where(eq(schema.singleUseTokens.tokenHash, sha256Hex(token)));
  return row;
}

describe('single-use tokens', () => {
  it('issues a 256-bit URL-safe token and stores only its SHA-256', async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    const subjectId = randomUUID();
    const { token, expiresAt } = await issueToken(getDb(), { purpose: 'invitation', subjectId, ttlSeconds: HOUR });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    const row = await rowOf(token);
    expect(row).toMatchObject({ purpose: 'invitation', subjectId, tokenHash: sha256Hex(token), usedAt: null, invalidatedAt: null });
    expect(row!.expiresAt).toEqual(expiresAt);
    expect(row!.createdAt).toEqual(new Date('2030-03-04T08:00:00.000Z'));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(HOUR * 1000);

    // Nowhere in the table, in any column or encoding, is the raw token.
    const raw = rowsOf<Record<string, unknown>>(await getDb().execute(sql`select * from single_use_tokens`));
    expect(raw.length).toBeGreaterThan(0);
    const dump = JSON.stringify(raw);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
  });

  it('inspects without consuming, then consumes once', async () => {
    const subjectId = randomUUID();
    const { token } = await issueToken(getDb(), { purpose: 'password_reset', subjectId, ttlSeconds: HOUR });
    expect(await inspectToken(getDb(), 'password_reset', token)).toMatchObject({ state: 'valid', subjectId });
    expect(await inspectToken(getDb(), 'password_reset', token)).toMatchObject({ state: 'valid', subjectId });
    expect((await rowOf(token))!.usedAt).toBeNull();

    expect(await consumeToken(getDb(), 'password_reset', token)).toEqual({ ok: true, subjectId });
    expect((await rowOf(token))!.usedAt).not.toBeNull();
    expect(await consumeToken(getDb(), 'password_reset', token)).toEqual({ ok: false, state: 'used' });
    expect((await inspectToken(getDb(), 'password_reset', token)).state).toBe('used');
  });

  it('is bound to its purpose and refuses unknown tokens', async () => {
    const { token } = await issueToken(getDb(), { purpose: 'invitation', subjectId: randomUUID(), ttlSeconds: HOUR });
    expect(await consumeToken(getDb(), 'password_reset', token)).toEqual({ ok: false, state: 'unknown' });
    expect(await consumeToken(getDb(), 'setup', token)).toEqual({ ok: false, state: 'unknown' });
    expect(await consumeToken(getDb(), 'invitation', `${token}x`)).toEqual({ ok: false, state: 'unknown' });
    expect(await inspectToken(getDb(), 'invitation', 'nope')).toEqual({ state: 'unknown', subjectId: null });
    // The misses did not use it up.
    expect((await consumeToken(getDb(), 'invitation', token)).ok).toBe(true);
  });

  it('can be used exactly once when ten requests race for it', async () => {
    const subjectId = randomUUID();
    const { token } = await issueToken(getDb(), { purpose: 'invitation', subjectId, ttlSeconds: HOUR });
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeToken(getDb(), 'invitation', token)));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, subjectId }]);
    expect(results.filter((r) => !r.ok)).toEqual(Array(9).fill({ ok: false, state: 'used' }));
  });

  it('expires with the clock', async () => {
    const { token } = await issueToken(getDb(), { purpose: 'password_reset', subjectId: randomUUID(), ttlSeconds: HOUR });
    advanceClock(HOUR * 1000 - 1000);
    expect((await inspectToken(getDb(), 'password_reset', token)).state).toBe('valid');
    advanceClock(1000);
    expect((await inspectToken(getDb(), 'password_reset', token)).state).toBe('expired');
    expect(await consumeToken(getDb(), 'password_reset', token)).toEqual({ ok: false, state: 'expired' });
    expect((await rowOf(token))!.usedAt).toBeNull();
  });

  it('invalidates the unused tokens of one subject and purpose', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const aliceOld = await issueToken(getDb(), { purpose: 'password_reset', subjectId: alice, ttlSeconds: HOUR });
    const aliceUsed = await issueToken(getDb(), { purpose: 'password_reset', subjectId: alice, ttlSeconds: HOUR });
    const aliceInvite = await issueToken(getDb(), { purpose: 'invitation', subjectId: alice, ttlSeconds: HOUR });
    const bobReset = await issueToken(getDb(), { purpose: 'password_reset', subjectId: bob, ttlSeconds: HOUR });
    expect((await consumeToken(getDb(), 'password_reset', aliceUsed.token)).ok).toBe(true);

    await invalidateTokens(getDb(), 'password_reset', alice);

    expect(await consumeToken(getDb(), 'password_reset', aliceOld.token)).toEqual({ ok: false, state: 'invalidated' });
    expect((await inspectToken(getDb(), 'password_reset', aliceUsed.token)).state).toBe('used');
    expect((await rowOf(aliceUsed.token))!.invalidatedAt).toBeNull();
    expect((await inspectToken(getDb(), 'invitation', aliceInvite.token)).state).toBe('valid');
    expect((await inspectToken(getDb(), 'password_reset', bobReset.token)).state).toBe('valid');

    // A token issued afterwards is unaffected.
    const aliceNew = await issueToken(getDb(), { purpose: 'password_reset', subjectId: alice, ttlSeconds: HOUR });
    expect(await consumeToken(getDb(), 'password_reset', aliceNew.token)).toEqual({ ok: true, subjectId: alice });
  });

  it('invalidates every unused token of a purpose when no subject is given', async () => {
    const a = await issueToken(getDb(), { purpose: 'setup', ttlSeconds: HOUR });
    const b = await issueToken(getDb(), { purpose: 'setup', ttlSeconds: HOUR });
    const invite = await issueToken(getDb(), { purpose: 'invitation', subjectId: randomUUID(), ttlSeconds: HOUR });
    expect(await inspectToken(getDb(), 'setup', a.token)).toMatchObject({ state: 'valid', subjectId: null });

    await invalidateTokens(getDb(), 'setup', null);

    expect((await inspectToken(getDb(), 'setup', a.token)).state).toBe('invalidated');
    expect(await consumeToken(getDb(), 'setup', b.token)).toEqual({ ok: false, state: 'invalidated' });
    expect((await inspectToken(getDb(), 'invitation', invite.token)).state).toBe('valid');
  });

  it('rolls back with the transaction that consumed it', async () => {
    const { token } = await issueToken(getDb(), { purpose: 'invitation', subjectId: randomUUID(), ttlSeconds: HOUR });
    await expect(
      getDb().transaction(async (tx) => {
        expect((await consumeToken(tx, 'invitation', token)).ok).toBe(true);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await inspectToken(getDb(), 'invitation', token)).state).toBe('valid');
  });
});
