import 'server-only';
import { count } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';

export { createManualUser, type CreatedUser } from './create-user';
export { updateManualUser } from './update-user';
export { setMfaOverride } from './set-mfa-override';
export { applyBulkAction, type BulkResult, type BulkOutcome, type BulkSelection } from './bulk-users';
export { getUserDetail, type UserDetail } from './get-user-detail';
export { UserInputError } from './user-errors';

export async function countUsersByStatus(): Promise<Record<'invited' | 'active' | 'disabled', number>> {
  const u = schema.users;
  const rows = await getDb().select({ status: u.status, n: count() }).from(u).groupBy(u.status);
  const out = { invited: 0, active: 0, disabled: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
