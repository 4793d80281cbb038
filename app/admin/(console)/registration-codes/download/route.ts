import { requireAdmin } from '@/lib/auth';
import { validCodesCsvResponse } from '@/lib/registration-codes';

export const dynamic = 'force-dynamic';

/**
 * GET /admin/registration-codes/download — every valid code as a CSV attachment. It changes nothing,
 * so the admin guard is all it needs (no Origin check: a plain link starts the download).
 */
export async function GET(): Promise<Response> {
  await requireAdmin();
  return validCodesCsvResponse();
}
