import Link from 'next/link';
import type { SyncRunDto } from '@/lib/directory';
import { formatCount, formatMinute } from '../../users/_components/format';
import { STATUS_BADGES, STATUS_LABELS, formatDuration, runKind, whoStarted } from './labels';

const COUNTS: [keyof SyncRunDto['counts'], string][] = [
  ['read', 'Read'],
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['disabled', 'Disabled'],
  ['reenabled', 'Re-enabled'],
  ['unchanged', 'Unchanged'],
  ['phoneProblems', 'Phone problems'],
];

/** The sync history: one row per run, linking to its change list. */
export function RunsTable({ runs, caption }: { runs: SyncRunDto[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="users-table directory-runs">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Run</th>
            <th scope="col">Trigger</th>
            <th scope="col">Duration</th>
            {COUNTS.map(([key, label]) => (
              <th scope="col" key={key} className="numeric">
                {label}
              </th>
            ))}
            <th scope="col">Outcome</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const at = run.startedAt ?? run.requestedAt;
            return (
              <tr key={run.id}>
                <td className="nowrap">
                  <Link href={`/admin/directory/runs/${run.id}`}>
                    <time dateTime={at.toISOString()}>{formatMinute(at)}</time>
                  </Link>
                </td>
                <td>{runKind(run)}</td>
                <td>{whoStarted(run)}</td>
                <td className="nowrap">{formatDuration(run.durationMs)}</td>
                {COUNTS.map(([key]) => (
                  <td key={key} className="numeric">
                    {formatCount(run.counts[key])}
                  </td>
                ))}
                <td>
                  <span className={`badge ${STATUS_BADGES[run.status]}`}>{STATUS_LABELS[run.status]}</span>
                </td>
                <td className="run-error">{run.error ?? <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
