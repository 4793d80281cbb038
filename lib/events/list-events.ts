import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';

export interface EventDto {
  id: number;
  occurredAt: Date;
  type: string;
  subType: string;
  actorType: string;
  actorLabel: string | null;
  subjectUserId: string | null;
  ip: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
}

/** The newest events, optionally of one subject user (the full Event Discovery arrives later). */
export async function listRecentEvents(options: { limit?: number; subjectUserId?: string } = {}): Promise<EventDto[]> {
  const e = schema.events;
  const rows = await getDb()
    .select({
      id: e.id,
      occurredAt: e.occurredAt,
      type: e.type,
      subType: e.subType,
      actorType: e.actorType,
      actorLabel: e.actorLabel,
      subjectUserId: e.subjectUserId,
      ip: e.ip,
      outcome: e.outcome,
      details: e.details,
    })
    .from(e)
    .where(options.subjectUserId ? eq(e.subjectUserId, options.subjectUserId) : undefined)
    .orderBy(desc(e.occurredAt), desc(e.id))
    .limit(Math.min(options.limit ?? 50, 500));
  return rows;
}
