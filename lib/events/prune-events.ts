import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT } from './event-types';
import { SYSTEM_ACTOR, writeEvent } from './write-event';

const BATCH = 10_000;
const DAY_MS = 86_400_000;

/**
 * Retention: deletes the events older than `retentionDays`, in batches of 10,000 (short transactions,
 * bounded locks), carrying their counts into pruned_event_counts, then records one Events Pruned event with the count. The only delete path of the
 * audit log: each batch switches on `onramp.event_retention` for its own transaction, which the
 * table's append-only trigger requires (db/migrations/0006_event_discovery.sql).
 */
export async function pruneEvents(retentionDays: number, at: Date = now()): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(at.getTime() - retentionDays * DAY_MS);
  let deleted = 0;
  for (;;) {
    const batch = await getDb().transaction(async (tx) => {
      await tx.execute(sql`select set_config('onramp.event_retention', 'on', true)`);
      // The deleted events are counted by kind, outcome and reason into pruned_event_counts in the same
      // statement, so the event-derived counters of /api/metrics carry them on.
      const [row] = rowsOf<{ n: number }>(
        await tx.execute(sql`with doomed as (
            delete from events where id in (select id from events where occurred_at < ${cutoff.toISOString()}::timestamptz order by occurred_at, id limit ${BATCH})
            returning type, sub_type, outcome, coalesce(details->>'reason', '') as reason
          ), carried as (
            insert into pruned_event_counts (type, sub_type, outcome, reason, count)
            select type, sub_type, outcome, reason, count(*) from doomed group by 1, 2, 3, 4
            on conflict (type, sub_type, outcome, reason) do update set count = pruned_event_counts.count + excluded.count
          )
          select count(*)::int as n from doomed`),
      );
      return Number(row?.n ?? 0);
    });
    deleted += batch;
    if (batch < BATCH) break;
  }
  if (deleted > 0) {
    await writeEvent(getDb(), { kind: EVENT.eventsPruned, actor: SYSTEM_ACTOR, details: { count: deleted, retentionDays, cutoff: cutoff.toISOString() } });
  }
  return { deleted, cutoff };
}
