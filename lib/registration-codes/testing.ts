import { expect } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { formatCode } from './code-format';
import { decryptCode } from './code-secrets';
import { generateCodes } from './generate-codes';

/** Test helpers only (no production code imports this file). */
export const TEST_CLIENT: ClientInfo = { ip: '203.0.113.7', userAgent: 'vitest' };

/** Generates a code for the user the production way, and reads back its id and plain text (display form). */
export async function generateTestCode(userId: string): Promise<{ id: string; code: string; expiresAt: Date }> {
  const rc = schema.registrationCodes;
  const before = new Set((await getDb().select({ id: rc.id }).from(rc).where(eq(rc.userId, userId))).map((r) => r.id));
  expect(await generateCodes([userId], SYSTEM_ACTOR, TEST_CLIENT)).toBe(1);
  const rows = await getDb().select().from(rc).where(eq(rc.userId, userId)).orderBy(desc(rc.createdAt));
  const row = rows.find((r) => !before.has(r.id))!;
  return { id: row.id, code: formatCode(decryptCode(row.ciphertext, userId)), expiresAt: row.expiresAt };
}

/** Many users in one statement per 1,000 (plain rows, unique emails); returns their ids in insertion order. */
export async function insertManyTestUsers(count: number, overrides: Partial<typeof schema.users.$inferInsert> = {}): Promise<string[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      email: `bulk.${tag}.${i + j}@example.com`,
      username: `bulk_${tag}_${i + j}`,
      firstName: 'Bulk',
      lastName: `User ${i + j}`,
      status: 'active' as const,
      ...overrides,
    }));
    ids.push(...(await getDb().insert(schema.users).values(rows).returning({ id: schema.users.id })).map((r) => r.id));
  }
  return ids;
}
