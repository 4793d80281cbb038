import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
  // Event Discovery's filters, each ending in (occurred_at, id) so a filtered page is a keyset range
  // scan in time order (lib/events/search-events.ts). Free text is deliberately not indexed.
  (t) => [
    index('events_occurred_at_idx').on(t.occurredAt, t.id),
    index('events_type_time_idx').on(t.type, t.occurredAt, t.id),
    index('events_sub_type_time_idx').on(t.type, t.subType, t.occurredAt, t.id),
    index('events_subject_user_idx').on(t.subjectUserId, t.occurredAt, t.id),
    index('events_actor_time_idx').on(sql`lower(${t.actorLabel})`, t.occurredAt, t.id),
    index('events_ip_time_idx').on(t.ip, t.occurredAt, t.id),
    index('events_failure_time_idx').on(t.occurredAt, t.id).where(sql`${t.outcome} = 'failure'`),
  ],
);

/**
 * What the retention job deleted, counted by kind, outcome and `details.reason`, so the counters
 * /api/metrics derives from the event log never go down when old events go (a drop would read as a
 * counter reset to Prometheus). Written only by lib/events pruneEvents, in each batch's transaction.
 */
export const prunedEventCounts = pgTable(
  'pruned_event_counts',
  {
    type: text().notNull(),
    subType: text().notNull(),
    outcome: eventOutcome().notNull(),
    reason: text().notNull().default(''),
    count: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.type, t.subType, t.outcome, t.reason] })],
);
