import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { EVENT, SYSTEM_ACTOR, countEventsByKind, getEvent, iterateEvents, pruneEvents, searchEvents, streamEventsCsv, streamEventsJsonl, writeEvent, type EventInput } from '.';
import { parseEventQuery } from './event-filter-schema';

const T0 = new Date('2031-03-10T12:00:00.000Z');
const ADMIN = { type: 'admin' as const, id: 'a1', label: 'Root@Example.com' };
let alice: { id: string; email: string };

async function writeAt(at: Date, input: Omit<EventInput, 'actor'> & { actor?: EventInput['actor'] }) {
  setClock(at);
  await writeEvent(getDb(), { actor: SYSTEM_ACTOR, ...input });
}

const minutesBefore = (m: number) => new Date(T0.getTime() - m * 60_000);
const all = async (query: Parameters<typeof searchEvents>[0]) => {
  const ids: number[] = [];
  for await (const page of iterateEvents(query, { pageSize: 7, at: T0 })) ids.push(...page.map((e) => e.id));
  return ids;
};

beforeAll(async () => {
  const user = await insertTestUser({ email: 'alice@example.com' });
  alice = { id: user.id, email: user.email };
  // A known history: 2 days of mixed events, oldest first.
  await writeAt(minutesBefore(2 * 24 * 60), { kind: EVENT.userCreated, actor: ADMIN, subjectUserId: alice.id, ip: '198.51.100.7' });
  await writeAt(minutesBefore(3 * 60), { kind: EVENT.userSignIn, actor: { type: 'user', id: alice.id, label: alice.email }, subjectUserId: alice.id, ip: '203.0.113.5', outcome: 'failure', details: { reason: 'wrong_password' } });
  await writeAt(minutesBefore(30), { kind: EVENT.userSignIn, actor: { type: 'user', id: alice.id, label: alice.email }, subjectUserId: alice.id, ip: '203.0.113.5' });
  await writeAt(minutesBefore(20), { kind: EVENT.codeGenerated, actor: ADMIN, subjectUserId: alice.id, details: { lifetime: '7 days' } });
  await writeAt(minutesBefore(10), { kind: EVENT.codeRevoked, actor: ADMIN, subjectUserId: alice.id, details: { note: '100% =HYPERLINK("x")' } });
  await writeAt(minutesBefore(5), { kind: EVENT.settingsChanged, actor: ADMIN, ip: '198.51.100.7', details: { section: 'Event Log' } });
  setClock(T0);
});

afterEach(() => setClock(T0));

const ids = (page: { items: { subType: string }[] }) => page.items.map((e) => e.subType);

describe('Event Discovery filters', () => {
  it('filters by time range preset and custom range', async () => {
    expect(ids(await searchEvents({ range: '1h' }, { at: T0 }))).toEqual(['Changed', 'Revoked', 'Generated', 'User Sign-In']);
    expect((await searchEvents({ range: '24h' }, { at: T0 })).items).toHaveLength(5);
    expect((await searchEvents({ range: '7d' }, { at: T0 })).items).toHaveLength(6);
    const custom = parseEventQuery({ range: 'custom', from: '2031-03-10T11:35', to: '2031-03-10T11:52' }).query;
    expect(ids(await searchEvents(custom, { at: T0 }))).toEqual(['Revoked', 'Generated']);
  });

  it.each([
    [{ type: 'Registration Code' }, ['Revoked', 'Generated']],
    [{ type: 'Registration Code', subType: 'Revoked' }, ['Revoked']],
    [{ user: 'ALICE@example.com' }, ['Revoked', 'Generated', 'User Sign-In', 'User Sign-In', 'Created']],
    [{ user: 'nobody@example.com' }, []],
    [{ actor: 'root@example.com' }, ['Changed', 'Revoked', 'Generated', 'Created']],
    [{ outcome: 'failure' as const }, ['User Sign-In']],
    [{ ip: '198.51.100.7' }, ['Changed', 'Created']],
    [{ q: 'wrong_password' }, ['User Sign-In']],
    [{ q: '100%' }, ['Revoked']],
    [{ q: '0%' }, ['Revoked']],
    [{ q: '_' }, ['User Sign-In']],
  ])('filters by %j', async (filter, expected) => {
    expect(ids(await searchEvents({ range: 'all', ...filter }, { at: T0 }))).toEqual(expected);
  });

  it('filters by user id as well as email', async () => {
    expect((await searchEvents({ range: 'all', user: alice.id }, { at: T0 })).items).toHaveLength(5);
  });

  it('counts by type and sub type for the current filter (the drill-down)', async () => {
    expect(await countEventsByKind({ range: 'all' }, T0)).toEqual([
      { type: 'Authentication', subType: 'User Sign-In', count: 2 },
      { type: 'Registration Code', subType: 'Generated', count: 1 },
      { type: 'Registration Code', subType: 'Revoked', count: 1 },
      { type: 'Settings', subType: 'Changed', count: 1 },
      { type: 'User', subType: 'Created', count: 1 },
    ]);
    expect(await countEventsByKind({ range: 'all', type: 'Registration Code' }, T0)).toEqual([
      { type: 'Registration Code', subType: 'Generated', count: 1 },
      { type: 'Registration Code', subType: 'Revoked', count: 1 },
    ]);
    expect(await countEventsByKind({ range: '1h', outcome: 'failure' }, T0)).toEqual([]);
  });

  it('opens one event with everything it recorded, and refuses nonsense ids', async () => {
    const [first] = (await searchEvents({ range: 'all', outcome: 'failure' }, { at: T0 })).items;
    const event = await getEvent(first!.id);
    expect(event).toMatchObject({ type: 'Authentication', subType: 'User Sign-In', outcome: 'failure', ip: '203.0.113.5', subjectEmail: 'alice@example.com', details: { reason: 'wrong_password' } });
    expect(await getEvent(999_999)).toBeNull();
    expect(await getEvent(Number.NaN)).toBeNull();
  });
});

describe('keyset pagination', () => {
  it('pages older and newer without duplicates or gaps while new events arrive', async () => {
    const before = await all({ range: 'all' });
    expect(before).toHaveLength(6);
    const first = await searchEvents({ range: 'all' }, { pageSize: 2, at: T0 });
    // New events arrive (some at exactly the same instant as existing ones) while the admin pages.
    for (let i = 0; i < 5; i++) await writeAt(T0, { kind: EVENT.adminSignIn, actor: ADMIN });
    setClock(T0);
    const seen = [...first.items.map((e) => e.id)];
    let cursor = first.older;
    while (cursor) {
      const page = await searchEvents({ range: 'all', before: cursor }, { pageSize: 2, at: T0 });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.older;
    }
    expect(seen).toEqual(before);
    // Going back up from the second page reaches the first page again, and then the newer events.
    const second = await searchEvents({ range: 'all', before: first.older! }, { pageSize: 2, at: T0 });
    const back = await searchEvents({ range: 'all', after: second.newer! }, { pageSize: 2, at: T0 });
    expect(back.items.map((e) => e.id)).toEqual(first.items.map((e) => e.id));
    expect(back.newer).not.toBeNull();
  });

  it('keeps microsecond-apart events apart (the cursor keeps microseconds)', async () => {
    setClock(T0);
    const rows = await getDb()
      .insert(schema.events)
      .values([0, 1, 2].map((n) => ({ occurredAt: sql`${'2031-01-01T00:00:00.000Z'}::timestamptz + make_interval(secs => ${n} * 0.000001)` as never, type: 'Test', subType: 'Micro', actorType: 'system' as const })))
      .returning({ id: schema.events.id });
    const found: number[] = [];
    let before: string | undefined;
    do {
      const page = await searchEvents({ range: 'all', type: 'Test', before }, { pageSize: 1, at: T0 });
      found.push(...page.items.map((e) => e.id));
      before = page.older ?? undefined;
    } while (before);
    expect(found.sort()).toEqual(rows.map((r) => r.id).sort());
  });
});

describe('export', () => {
  it('streams CSV with formula-safe cells and JSON lines with one event per line', async () => {
    let csv = '';
    for await (const chunk of streamEventsCsv({ range: 'all', type: 'Registration Code' }, T0)) csv += chunk;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,occurred_at,type,sub_type,outcome,actor_type,actor,actor_id,subject_user_id,subject_email,device_id,ip,user_agent,details');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Revoked');
    expect(lines[1]).toContain('alice@example.com');
    // The details cell is JSON text, quoted per RFC 4180 (its quotes doubled).
    expect(lines[1]).toContain('"{""note"":""100% =HYPERLINK(\\""x\\"")""}"');

    let jsonl = '';
    for await (const chunk of streamEventsJsonl({ range: 'all', user: alice.email }, T0)) jsonl += chunk;
    const records = jsonl.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.sub_type)).toEqual(['Revoked', 'Generated', 'User Sign-In', 'User Sign-In', 'Created']);
    expect(records[3]).toMatchObject({ outcome: 'failure', ip: '203.0.113.5', details: { reason: 'wrong_password' } });
  });

  it('neutralises a formula at the start of a cell', async () => {
    await writeAt(T0, { kind: EVENT.adminSignIn, actor: { type: 'admin', label: '=HYPERLINK("http://evil")' }, outcome: 'failure' });
    setClock(T0);
    let csv = '';
    for await (const chunk of streamEventsCsv({ range: 'all', actor: '=HYPERLINK("http://evil")' }, T0)) csv += chunk;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});

describe('integrity and retention', () => {
  it('refuses UPDATE, DELETE and TRUNCATE from anything but the retention job', async () => {
    const refusal = (statement: ReturnType<typeof sql>) =>
      getDb()
        .execute(statement)
        .then(
          () => 'allowed',
          (error: Error & { cause?: Error }) => (error.cause ?? error).message,
        );
    const before = (await all({ range: 'all' })).length;
    expect(await refusal(sql`update events set type = 'x'`)).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(sql`delete from events`)).toMatch(/append-only: DELETE refused/);
    expect(await refusal(sql`truncate events`)).toMatch(/append-only: TRUNCATE refused/);
    expect((await all({ range: 'all' })).length).toBe(before);
  });

  it('deletes events older than the retention and records the count', async () => {
    const total = (await all({ range: 'all' })).length;
    const old = (await all({ range: 'custom', to: '2031-03-09T12:00' })).length;
    expect(old).toBeGreaterThan(0);
    const result = await pruneEvents(1, T0);
    expect(result.deleted).toBe(old);
    expect(await all({ range: 'custom', to: '2031-03-09T12:00' })).toEqual([]);
    const pruned = await searchEvents({ range: 'all', type: 'System', subType: 'Events Pruned' }, { at: T0 });
    expect(pruned.items[0]).toMatchObject({ actorType: 'system', details: { count: old, retentionDays: 1 } });
    // Everything newer stays; the Events Pruned event is added.
    expect((await all({ range: 'all' })).length).toBe(total - old + 1);
    // Nothing older left: the next run deletes nothing and writes no event.
    expect((await pruneEvents(1, T0)).deleted).toBe(0);
    expect((await searchEvents({ range: 'all', subType: 'Events Pruned', type: 'System' }, { at: T0 })).items).toHaveLength(1);
  });
});

afterEach(() => resetClock());
