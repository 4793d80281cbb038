import { requireAdmin } from '@/lib/auth';
import { phoneProblemsCsvResponse } from '@/lib/directory';

export const dynamic = 'force-dynamic';

/**
 * GET /admin/directory/phone-health/download — every user with a phone problem as a CSV attachment. It
 * changes nothing, so the admin guard is all it needs (a plain link starts the download).
 */
export async function GET(): Promise<Response> {
  await requireAdmin();
  return phoneProblemsCsvResponse();
}
