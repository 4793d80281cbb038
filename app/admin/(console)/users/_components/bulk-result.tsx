import type { ActionResult } from '@/lib/actions/result';
import { BULK_ACTION_LABELS, type BulkAction } from '@/lib/users/schemas';
import { formatCount, usersCount } from './format';

export interface BulkOutcome {
  id: string;
  email: string;
  reason: string;
}

/** What bulkUsersAction returns on success. */
export interface BulkUsersResult {
  succeeded: number;
  failed: BulkOutcome[];
  skipped: BulkOutcome[];
}

const SHOWN_PER_REASON = 50;

/** One sentence for the live region: what happened, or why nothing did. */
export function BulkSummary({ action, result }: { action: BulkAction; result: ActionResult<BulkUsersResult> }) {
  if (!result.ok) {
    const message = result.formError ?? Object.values(result.fieldErrors ?? {}).flat().filter(Boolean).join(' ');
    return <p className="alert error">{message || 'The action could not be applied.'}</p>;
  }
  const data = result.data ?? { succeeded: 0, failed: [], skipped: [] };
  const tone = data.failed.length ? 'warn' : data.succeeded === 0 ? 'info' : 'success';
  return (
    <p className={`alert ${tone}`}>
      {`${BULK_ACTION_LABELS[action]}: done for ${usersCount(data.succeeded)}; ${formatCount(data.failed.length)} failed; ${formatCount(data.skipped.length)} skipped.`}
    </p>
  );
}

/** The users that failed or were skipped, grouped by reason (a filter can skip thousands for one reason). */
export function BulkOutcomeLists({ result }: { result: BulkUsersResult }) {
  return (
    <>
      <OutcomeGroup title="Failed" outcomes={result.failed} />
      <OutcomeGroup title="Skipped" outcomes={result.skipped} />
    </>
  );
}

function OutcomeGroup({ title, outcomes }: { title: string; outcomes: BulkOutcome[] }) {
  if (outcomes.length === 0) return null;
  const byReason = new Map<string, BulkOutcome[]>();
  for (const o of outcomes) {
    const list = byReason.get(o.reason);
    if (list) list.push(o);
    else byReason.set(o.reason, [o]);
  }
  return (
    <section className="bulk-outcomes" aria-label={`${title}: ${usersCount(outcomes.length)}`}>
      <h2>
        {title} ({formatCount(outcomes.length)})
      </h2>
      {[...byReason].map(([reason, list]) => (
        <div key={reason}>
          <p>
            <strong>{reason}</strong> ({usersCount(list.length)})
          </p>
          <ul>
            {list.slice(0, SHOWN_PER_REASON).map((o) => (
              <li key={o.id}>{o.email || o.id}</li>
            ))}
          </ul>
          {list.length > SHOWN_PER_REASON ? <p className="muted">…and {formatCount(list.length - SHOWN_PER_REASON)} more.</p> : null}
        </div>
      ))}
    </section>
  );
}
