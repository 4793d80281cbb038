import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Pagination } from '@/app/_components/pagination';
import { requireAdmin } from '@/lib/auth';
import { getDirectorySettings, getSyncRun, listSyncChanges, type SyncChangeDto } from '@/lib/directory';
import { formatCount, formatMinute } from '../../../users/_components/format';
import { AutoRefresh } from '../../_components/auto-refresh';
import { ACTION_LABELS, STATUS_LABELS, formatDuration, outcomeText, phoneLabel, progressText, runKind, whoStarted } from '../../_components/labels';
import { SYNC_ACTIONS, parseChangeQuery, type SyncActionFilter } from '../../_components/run-schemas';
import { SafetyHold } from '../../_components/safety-hold';

export const metadata: Metadata = { title: 'Sync run · Directory Services' };

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

function Fields({ change }: { change: SyncChangeDto }) {
  const entries = Object.entries(change.fields);
  if (change.reason) return <>{change.reason}</>;
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="field-changes">
      {entries.map(([field, { before, after }]) => (
        <li key={field}>
          {field}: {show(before)} → {show(after)}
        </li>
      ))}
    </ul>
  );
}

const hrefFor = (id: string, action: SyncActionFilter | null, page: number) => {
  const q = new URLSearchParams();
  if (action) q.set('action', action);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/admin/directory/runs/${id}${s ? `?${s}` : ''}`;
};

/** One sync run: its summary and per-user change list (filter by action), and Apply anyway when it waits at the safety limit. */
export default async function SyncRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const [{ id }, query] = await Promise.all([params, searchParams.then(parseChangeQuery)]);
  const run = await getSyncRun(id);
  if (!run) notFound();
  const [changes, settings] = await Promise.all([
    listSyncChanges(run.id, query.page, { actions: query.action ? [query.action] : undefined }),
    getDirectorySettings(),
  ]);
  const pageCount = Math.max(1, Math.ceil(changes.total / changes.pageSize));
  const active = run.status === 'queued' || run.status === 'running';
  const at = run.startedAt ?? run.requestedAt;
  return (
    <>
      <p>
        <Link href="/admin/directory">← Directory Services</Link>
      </p>
      <h1>
        {runKind(run)} of {formatMinute(at)}
      </h1>
      <AutoRefresh active={active} />
      <div role="status" aria-live="polite">
        <p className={active ? undefined : `alert ${run.status === 'succeeded' ? 'success' : run.status === 'failed' ? 'error' : 'info'}`}>
          {active ? progressText(run) : outcomeText(run)}
        </p>
      </div>
      <dl className="facts run-summary">
        <dt>Outcome</dt>
        <dd>{STATUS_LABELS[run.status]}</dd>
        <dt>Trigger</dt>
        <dd>{whoStarted(run)}</dd>
        <dt>Started</dt>
        <dd>{run.startedAt ? formatMinute(run.startedAt) : 'Not yet'}</dd>
        <dt>Finished</dt>
        <dd>{run.finishedAt ? formatMinute(run.finishedAt) : '—'}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(run.durationMs)}</dd>
        <dt>Entries read</dt>
        <dd>{formatCount(run.counts.read)}</dd>
        <dt>Created</dt>
        <dd>{formatCount(run.counts.created)}</dd>
        <dt>Updated</dt>
        <dd>{formatCount(run.counts.updated)}</dd>
        <dt>Disabled</dt>
        <dd>{formatCount(run.counts.disabled)}</dd>
        <dt>Re-enabled</dt>
        <dd>{formatCount(run.counts.reenabled)}</dd>
        <dt>Unchanged</dt>
        <dd>{formatCount(run.counts.unchanged)}</dd>
        <dt>Skipped</dt>
        <dd>{formatCount(run.counts.skipped)}</dd>
        <dt>Phone problems</dt>
        <dd>{formatCount(run.counts.phoneProblems)}</dd>
        {run.approvesRunId ? (
          <>
            <dt>Applies</dt>
            <dd>
              <Link href={`/admin/directory/runs/${run.approvesRunId}`}>the run it approved</Link>
            </dd>
          </>
        ) : null}
      </dl>
      {run.status === 'waiting_approval' ? <SafetyHold run={run} thresholdPercent={settings.disableThresholdPercent} /> : null}

      <h2>Changes</h2>
      <p>
        {run.dryRun ? 'A dry run changes nothing: this is what a sync would do. ' : ''}
        Each user the run created, updated, disabled, re-enabled or skipped, and the phone problems it found.
      </p>
      <form method="get" className="user-filters" action={`/admin/directory/runs/${run.id}`}>
        <div className="field">
          <label htmlFor="action-filter">Show</label>
          <select id="action-filter" name="action" defaultValue={query.action ?? ''}>
            <option value="">All changes</option>
            {SYNC_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary">
          Filter
        </button>
      </form>
      <p className="list-summary">
        {changes.total === 0 ? (query.action ? 'No changes of this kind.' : 'No changes.') : `${formatCount(changes.total)} ${changes.total === 1 ? 'change' : 'changes'}.`}
      </p>
      {changes.items.length > 0 ? (
        <div className="table-scroll">
          <table className="users-table">
            <caption>
              Per-user changes of this run{query.action ? ` (${ACTION_LABELS[query.action]} only)` : ''}; page {formatCount(changes.page)} of {formatCount(pageCount)}.
            </caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">User</th>
                <th scope="col">DN</th>
                <th scope="col">Fields (old → new)</th>
                <th scope="col">Phone attribute</th>
                <th scope="col">Phone value</th>
                <th scope="col">Phone verdict</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {changes.items.map((c) => (
                <tr key={c.id}>
                  <td>{ACTION_LABELS[c.action]}</td>
                  <td className="email">
                    {c.userId ? <Link href={`/admin/users/${c.userId}`}>{c.username ?? c.email ?? c.userId}</Link> : (c.username ?? '—')}
                    {c.email ? (
                      <>
                        <br />
                        <span className="muted">{c.email}</span>
                      </>
                    ) : null}
                  </td>
                  <td className="username">{c.dn ?? '—'}</td>
                  <td>
                    <Fields change={c} />
                  </td>
                  <td>{c.phone.source ?? '—'}</td>
                  <td>{c.phone.raw ?? '—'}</td>
                  <td>{phoneLabel(c.phone.status)}</td>
                  <td>{c.applied ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {changes.total > 0 ? <Pagination page={changes.page} pageCount={pageCount} hrefFor={(p) => hrefFor(run.id, query.action, p)} /> : null}
    </>
  );
}
