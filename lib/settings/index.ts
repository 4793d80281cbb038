import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb, type Executor } from '@/lib/db';

export interface AccountSettings {
  organisationName: string;
  defaultPhoneCountry: string;
}

/** Creates the single settings row if it is missing (safe to run on every start). */
export async function ensureAccountSettings(db: Executor = getDb()): Promise<void> {
  await db.insert(schema.accountSettings).values({ id: 1 }).onConflictDoNothing();
}

export async function getAccountSettings(db: Executor = getDb()): Promise<AccountSettings> {
  const t = schema.accountSettings;
  const [row] = await db
    .select({ organisationName: t.organisationName, defaultPhoneCountry: t.defaultPhoneCountry })
    .from(t)
    .where(eq(t.id, 1));
  return row ?? { organisationName: 'Onramp', defaultPhoneCountry: 'US' };
}
