import 'server-only';
import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT_PAGE_SIZE, TIME_RANGE_SECONDS, type EventFilter, type EventQuery } from './event-filter-schema';

/** One event as Event Discovery lists it (details included: the writer refuses secrets in them). */
export interface EventDto {
  id: number;
  occurredAt: Date;
  type: string;
  subType: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  subjectUserId: string | null;
  /** The subject user's current email, when the user still exists. */
  subjectEmail: string | null;
  deviceId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
}

export interface EventPage {
  items: EventDto[];
  /** Cursor for the next (older) page, or null at the end. */
  older: string | null;
  /** Cursor for the previous (newer) page, or null on the first page. */
  newer: string | null;
}

export interface EventKindCount {
  type: string;
  subType: string;
  count: number;
}

const e = schema.events;
const u = schema.users;

/** The ISO time with microseconds: a JS Date would drop them and break the keyset. */
const cursorAt = sql<string>`to_char(${e.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const columns = {
  id: e.id,
  occurredAt: e.occurredAt,
  type: e.type,
  subType: e.subType,
  actorType: e.actorType,
  actorId: e.actorId,
  actorLabel: e.actorLabel,
  subjectUserId: e.subjectUserId,
  subjectEmail: u.email,
  deviceId: e.deviceId,
  ip: e.ip,
  userAgent: e.userAgent,
  outcome: e.outcome,
  details: e.details,
  cursorAt,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `%`, `_` and `\` typed by the admin are matched literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The time window a filter covers: [from, to). */
export function timeWindow(filter: Pick<EventFilter, 'range' | 'from' | 'to'>, at: Date = now()): { from?: Date; to?: Date } {
  if (filter.range === 'all') return {};
  if (filter.range === 'custom') {
    return { from: filter.from ? new Date(`${filter.from}Z`) : undefined, to: filter.to ? new Date(`${filter.to}Z`) : undefined };
  }
  return { from: new Date(at.getTime() - TIME_RANGE_SECONDS[filter.range] * 1000) };
}

/** The user filter names a user by id or email; an email no user has matches nothing. */
async function subjectCondition(user: string): Promise<SQL> {
  if (UUID.test(user)) return eq(e.subjectUserId, user.toLowerCase());
  const [found] = await getDb()
    .select({ id: u.id })
    .from(u)
    .where(eq(caseFoldedKey(u.email), user.toLowerCase()))
    .limit(1);
  return found ? eq(e.subjectUserId, found.id) : sql`false`;
}

/** Every condition of a filter (without the page position). Each maps onto an index ending in (occurred_at, id). */
export async function filterConditions(filter: EventFilter, at: Date = now()): Promise<SQL | undefined> {
  const window = timeWindow(filter, at);
  const conditions: (SQL | undefined)[] = [
    window.from ? gte(e.occurredAt, window.from) : undefined,
    window.to ? lt(e.occurredAt, window.to) : undefined,
    filter.type ? eq(e.type, filter.type) : undefined,
    filter.type && filter.subType ? eq(e.subType, filter.subType) : undefined,
    filter.user ? await subjectCondition(filter.user) : undefined,
    filter.actor ? sql`lower(${e.actorLabel}) = ${filter.actor.toLowerCase()}` : undefined,
    filter.outcome ? eq(e.outcome, filter.outcome) : undefined,
    filter.ip ? eq(e.ip, filter.ip) : undefined,
    filter.q
      ? sql`(${e.type} || ' ' || ${e.subType} || ' ' || coalesce(${e.actorLabel}, '') || ' ' || coalesce(${e.ip}, '') || ' ' || ${e.details}::text) ilike ${likePattern(filter.q)}`
      : undefined,
  ];
  return and(...conditions);
}

function parseCursor(cursor: string): { at: string; id: number } {
  const [at, id] = cursor.split('~');
  return { at: at!, id: Number(id) };
}

type Row = Awaited<ReturnType<typeof selectPage>>[number];

function selectPage(where: SQL | undefined, direction: 'older' | 'newer', limit: number) {
  const order = direction === 'older' ? [desc(e.occurredAt), desc(e.id)] : [asc(e.occurredAt), asc(e.id)];
  return getDb()
    .select(columns)
    .from(e)
    .leftJoin(u, eq(u.id, e.subjectUserId))
    .where(where)
    .orderBy(...order)
    .limit(limit);
}

const cursorOf = (row: Row) => `${row.cursorAt}~${row.id}`;

function toDto({ cursorAt: _c, ...row }: Row): EventDto {
  return row;
}

/**
 * One page of events, newest first, by keyset: `before` pages to older events, `after` to newer ones.
 * New events arriving meanwhile never shift a page (no duplicates, no gaps).
 */
export async function searchEvents(query: EventQuery, options: { pageSize?: number; at?: Date } = {}): Promise<EventPage> {
  const pageSize = Math.min(Math.max(options.pageSize ?? EVENT_PAGE_SIZE, 1), 1000);
  const base = await filterConditions(query, options.at);
  if (query.after && !query.before) {
    const c = parseCursor(query.after);
    const rows = await selectPage(and(base, sql`(${e.occurredAt}, ${e.id}) > (${c.at}::timestamptz, ${c.id})`), 'newer', pageSize + 1);
    const hasNewer = rows.length > pageSize;
    const page = rows.slice(0, pageSize).reverse();
    return {
      items: page.map(toDto),
      newer: hasNewer && page.length ? cursorOf(page[0]!) : null,
      older: page.length ? cursorOf(page[page.length - 1]!) : query.after,
    };
  }
  const c = query.before ? parseCursor(query.before) : undefined;
  const rows = await selectPage(c ? and(base, sql`(${e.occurredAt}, ${e.id}) < (${c.at}::timestamptz, ${c.id})`) : base, 'older', pageSize + 1);
  const page = rows.slice(0, pageSize);
  return {
    items: page.map(toDto),
    older: rows.length > pageSize ? cursorOf(page[page.length - 1]!) : null,
    newer: c && page.length ? cursorOf(page[0]!) : c ? query.before! : null,
  };
}

/** How many events of each type and sub type match the filter, most frequent first. */
export async function countEventsByKind(filter: EventFilter, at: Date = now()): Promise<EventKindCount[]> {
  const rows = await getDb()
    .select({ type: e.type, subType: e.subType, count: count() })
    .from(e)
    .where(await filterConditions(filter, at))
    .groupBy(e.type, e.subType)
    .orderBy(desc(count()), asc(e.type), asc(e.subType));
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/** One event with everything it recorded, or null. */
export async function getEvent(id: number): Promise<EventDto | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const [row] = await selectPage(eq(e.id, id), 'older', 1);
  return row ? toDto(row) : null;
}

/** Every event matching the filter, newest first, `pageSize` rows at a time by keyset (flat memory). */
export async function* iterateEvents(filter: EventFilter, options: { pageSize?: number; at?: Date } = {}): AsyncGenerator<EventDto[]> {
  const at = options.at ?? now();
  let before: string | undefined;
  for (;;) {
    const page = await searchEvents({ ...filter, before }, { pageSize: options.pageSize ?? 1000, at });
    if (page.items.length) yield page.items;
    if (!page.older) return;
    before = page.older;
  }
}
