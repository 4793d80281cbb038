import 'server-only';
import { schema, type Executor } from '@/db/client';

export type OutboxChannel = (typeof schema.outboxChannel.enumValues)[number];

export interface OutboxMessageInput {
  channel: OutboxChannel;
  recipient: string;
  subject?: string | null;
  bodyText: string;
  bodyHtml?: string | null;
}

/** Keeps a message the dev transports would otherwise have sent; returns the new row's id. */
export async function storeOutboxMessage(db: Executor, input: OutboxMessageInput): Promise<string> {
  const [row] = await db
    .insert(schema.outbox)
    .values({
      channel: input.channel,
      recipient: input.recipient,
      subject: input.subject ?? null,
      bodyText: input.bodyText,
      bodyHtml: input.bodyHtml ?? null,
    })
    .returning({ id: schema.outbox.id });
  if (!row) throw new Error('The outbox insert returned no row');
  return row.id;
}
