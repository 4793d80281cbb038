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
 * bounded locks), then records one Events Pruned event with the count. The only delete path of the
 * audit log: each batch switches on `onramp.event_retention` for its own transaction, which the
 * table's append-only trigger requires (db/migrations/0006_event_discovery.sql).
 */
export async function pruneEvents(retentionDays: number, at: Date = now()): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(at.getTime() - retentionDays * DAY_MS);
  let deleted = 0;
  for (;;) {
    const batch = await getDb().transaction(async (tx) => {
      await tx.execute(sql`select set_config('onramp.event_retention', 'on', true)`);
      const rows = rowsOf<{ id: string }>(
        await tx.execute(
          sql`delete from events where id in (select id from events where occurred_at < ${cutoff.toISOString()}::timestamptz order by occurred_at, id limit ${BATCH}) returning id`,
        ),
      );
      return rows.length;
    });
    deleted += batch;
    if (batch < BATCH) break;
  }
  if (deleted > 0) {
    await writeEvent(getDb(), { kind: EVENT.eventsPruned, actor: SYSTEM_ACTOR, details: { count: deleted, retentionDays, cutoff: cutoff.toISOString() } });
  }
  return { deleted, cutoff };
}
