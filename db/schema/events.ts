import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const actorType = pgEnum('actor_type', ['admin', 'user', 'system', 'client', 'anonymous']);
export const eventOutcome = pgEnum('event_outcome', ['success', 'failure']);

/** The append-only audit log. lib/events is its only writer. */
export const events = pgTable(
  'events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    type: text().notNull(),
    subType: text().notNull(),
    actorType: actorType().notNull(),
    actorId: text(),
    actorLabel: text(),
    subjectUserId: uuid(),
    deviceId: uuid(),
    ip: text(),
    userAgent: text(),
    outcome: eventOutcome().notNull().default('success'),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('events_occurred_at_idx').on(t.occurredAt, t.id),
    index('events_type_idx').on(t.type, t.subType, t.occurredAt),
    index('events_subject_user_idx').on(t.subjectUserId, t.occurredAt),
  ],
);
