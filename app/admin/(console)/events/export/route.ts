import type { NextRequest } from 'next/server';
import { requireAdmin } from '@/lib/auth';
import { exportEventsResponse } from '@/lib/events';
import { filterOf, parseEventQuery } from '@/lib/events/event-filter-schema';
import { clientInfoFrom } from '@/lib/request';

export const dynamic = 'force-dynamic';

/**
 * GET /admin/events/export?format=csv|jsonl&<filter> — the current Event Discovery filter as a streamed
 * attachment. A filter that doesn't validate is refused (400) rather than widened to everything.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const admin = await requireAdmin();
  const params = request.nextUrl.searchParams;
  const format = params.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') return plain(400, 'Choose the format csv or jsonl.');
  const { query, errors } = parseEventQuery(params);
  if (Object.keys(errors).length) return plain(400, `Some filters are not valid: ${Object.values(errors).join(' ')}`);
  return exportEventsResponse(filterOf(query), format, { type: 'admin', id: admin.id, label: admin.email }, clientInfoFrom(request.headers));
}

const plain = (status: number, message: string) => new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
