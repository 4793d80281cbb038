import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const outboxChannel = pgEnum('outbox_channel', ['email', 'sms']);

/** Messages kept by the dev transports (no SMTP / Twilio configured). */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    channel: outboxChannel().notNull(),
    recipient: text().notNull(),
    subject: text(),
    bodyText: text().notNull(),
    bodyHtml: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_created_at_idx').on(t.createdAt)],
);
