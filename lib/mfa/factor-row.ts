import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import type { Executor } from '@/lib/db';

export type FactorRow = typeof schema.mfaFactors.$inferSelect;

/** The user's mfa_factors row (internal: never returned to pages as is). */
export async function readFactorRow(db: Executor, userId: string, forUpdate = false): Promise<FactorRow | undefined> {
  const f = schema.mfaFactors;
  const query = db.select().from(f).where(eq(f.userId, userId));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

/** A verified number the factor sends codes to, or null. */
export function verifiedPhone(row: FactorRow | undefined): string | null {
  return row?.phoneE164 && row.verifiedAt ? row.phoneE164 : null;
}
