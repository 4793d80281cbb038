import 'server-only';
import { sql } from 'drizzle-orm';
import { migrationsPending } from '@/db/migrate';
import { getDatabaseHandle } from '@/lib/db';

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  migrations: 'ok' | 'pending' | 'unknown';
}

/** Database reachable and every migration applied. Says nothing secret (no URLs, no versions). */
export async function checkReadiness(): Promise<Readiness> {
  try {
    const { db } = getDatabaseHandle();
    await db.execute(sql`select 1`);
    const pending = await migrationsPending(db);
    return { ready: pending === 0, database: 'ok', migrations: pending === 0 ? 'ok' : 'pending' };
  } catch {
    return { ready: false, database: 'unreachable', migrations: 'unknown' };
  }
}
