import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import type { OutboxChannel } from './store-outbox-message';

export interface OutboxMessageDto {
  id: string;
  channel: OutboxChannel;
  recipient: string;
  subject: string | null;
  bodyText: string;
  bodyHtml: string | null;
  createdAt: Date;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** The messages the dev transports kept, newest first. */
export async function listOutbox(options: { channel?: OutboxChannel; limit?: number } = {}): Promise<OutboxMessageDto[]> {
  const o = schema.outbox;
  const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
  return getDb()
    .select({
      id: o.id,
      channel: o.channel,
      recipient: o.recipient,
      subject: o.subject,
      bodyText: o.bodyText,
      bodyHtml: o.bodyHtml,
      createdAt: o.createdAt,
    })
    .from(o)
    .where(options.channel ? eq(o.channel, options.channel) : undefined)
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(limit);
}
