import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { configureDirectory, directoryUsers, snapshotUsers, syncNow, unitsLdif, ADMIN } from './testing';
import { getSyncRun, listSyncRuns, requestSync, runDirectorySyncJob } from '.';

const BASE = 'dc=example,dc=org';
const N = 3000;
const PAGE = 100;
let slapd: Slapd;

beforeAll(async () => {
  const people = Array.from({ length: N }, (_, i) =>
    personLdif(`uid=s${i},ou=people,${BASE}`, { uid: `s${i}`, cn: `S ${i}`, givenName: `First ${i}`, sn: `Last ${i}`, mail: `s${i}@example.org`, mobile: `+4474${String(i).padStart(8, '0')}` }),
  );
  slapd = await startSlapd({ ldif: [unitsLdif(BASE, ['people']), ...people].join('\n') });
  const a = schema.accountSettings;
  await getDb().insert(a).values({ id: 1, inviteDirectoryUsers: false }).onConflictDoUpdate({ target: a.id, set: { inviteDirectoryUsers: false } });
  await configureDirectory(slapd, { pageSize: PAGE });
}, 120_000);
afterAll(() => slapd?.destroy());

const runRow = async (id: string) => (await getDb().select().from(schema.directorySyncRuns).where(eq(schema.directorySyncRuns.id, id)))[0]!;

describe('graceful stop (the job runner aborts the job at shutdown)', () => {
  it('stops between LDAP pages, changes nothing, releases the lease and queues a run that completes the work', async () => {
    const { runId } = await requestSync({ trigger: 'manual', actor: ADMIN, startNow: false });
    const controller = new AbortController();
    const job = runDirectorySyncJob({ signal: controller.signal });
    // Abort as soon as the first page has been read (its heartbeat records the entries read).
    for (;;) {
      const run = (await getSyncRun(runId))!;
      expect(['queued', 'running']).toContain(run.status);
      if (run.counts.read >= PAGE) break;
      // PGlite answers without a trip through the event loop: let the sync's LDAP socket be read.
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort();
    await job;

    const interrupted = await runRow(runId);
    expect(interrupted).toMatchObject({ status: 'failed', phase: 'done', leaseUntil: null });
    expect(interrupted.error).toMatch(/shutting down\. No user was changed; a new run was queued/);
    expect(interrupted.entriesRead).toBeGreaterThanOrEqual(PAGE);
    expect(interrupted.entriesRead).toBeLessThan(N);
    expect(await directoryUsers()).toHaveLength(0);
    const staged = await getDb().select({ n: count() }).from(schema.directorySyncChanges).where(eq(schema.directorySyncChanges.runId, runId));
    expect(staged[0]!.n).toBe(0);
    const e = schema.events;
    const [failed] = await getDb()
      .select()
      .from(e)
      .where(and(eq(e.type, 'Directory Sync'), eq(e.subType, 'Failed')));
    const requeued = (failed!.details as { requeuedSyncRunId: string }).requeuedSyncRunId;
    expect(failed).toMatchObject({ outcome: 'failure', actorLabel: ADMIN.label, details: { syncRunId: runId, reason: 'interrupted' } });
    expect(await getSyncRun(requeued)).toMatchObject({ status: 'queued', trigger: 'manual', requestedBy: { label: ADMIN.label } });

    // The next job tick runs the queued run to the end.
    await runDirectorySyncJob();
    expect(await getSyncRun(requeued)).toMatchObject({ status: 'succeeded', counts: { read: N, created: N, updated: 0, disabled: 0 } });
    const users = await snapshotUsers();
    expect(users).toHaveLength(N);
    const s7 = users.find((u) => u.username === 's7');
    expect(s7).toMatchObject({ firstName: 'First 7', lastName: 'Last 7', email: 's7@example.org', phoneE164: '+447400000007', status: 'invited', source: 'directory' });
    // The same state an uninterrupted sync leaves: a further sync finds nothing to do; one Created event per user.
    const again = await syncNow();
    expect(again.counts).toMatchObject({ read: N, created: 0, updated: 0, disabled: 0, reenabled: 0, unchanged: N });
    const created = await getDb()
      .select({ n: count() })
      .from(e)
      .where(and(eq(e.type, 'User'), eq(e.subType, 'Created')));
    expect(created[0]!.n).toBe(N);
    // The history shows both runs honestly: the interrupted one failed with its reason, then the one that did the work.
    const history = (await listSyncRuns()).items.map((r) => ({ id: r.id, status: r.status }));
    expect(history).toEqual(expect.arrayContaining([{ id: runId, status: 'failed' }, { id: requeued, status: 'succeeded' }]));
  }, 120_000);
});
