import 'server-only';
import { sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db';
import type { ChangeRow } from './plan-page';

const CHUNK = 2000;

/**
 * Writes change rows: one INSERT … SELECT from a JSON array per 2,000 rows (hand-written; building a
 * multi-row VALUES with drizzle cost more CPU than PostgreSQL spent storing the rows). `appliedAt` marks
 * them applied (rows written in the transaction that applied them).
 */
export async function stageChanges(db: Executor, rows: ChangeRow[], appliedAt: string | null = null): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({
      r: r.runId,
      a: r.action,
      u: r.userId ?? null,
      d: r.directoryId ?? null,
      dn: r.dn ?? null,
      n: r.username ?? null,
      e: r.email ?? null,
      f: r.fields ?? {},
      x: r.record ?? null,
      ps: r.phoneSource ?? null,
      pt: r.phoneStatus ?? null,
      pr: r.phoneRaw ?? null,
      why: r.reason ?? null,
    }));
    await db.execute(sql`insert into directory_sync_changes (run_id, action, user_id, directory_id, dn, username, email, fields, record, phone_source, phone_status, phone_raw, reason, applied_at)
      select c.r, c.a::directory_sync_action, c.u, c.d, c.dn, c.n, c.e, c.f, c.x, c.ps, c.pt, c.pr, c.why, ${appliedAt}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as c(r uuid, a text, u uuid, d text, dn text, n text, e text, f jsonb, x jsonb, ps text, pt text, pr text, why text)`);
  }
}
