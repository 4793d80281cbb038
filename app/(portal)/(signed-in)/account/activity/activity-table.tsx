import type { OwnActivityDto } from '@/lib/events';

const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** An IP or browser that is not shown (an administrator's action): a dash, read out as "Not shown". */
function NotShown() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">Not shown</span>
    </>
  );
}

/**
 * The user's own activity as a table, newest first. The scroll container is focusable so a keyboard
 * user can scroll a table wider than the screen.
 */
export function ActivityTable({ items }: { items: OwnActivityDto[] }) {
  if (items.length === 0) {
    return (
      <p className="muted activity-empty">
        No activity yet. Your sign-ins, two-factor authentication changes, password changes and devices will appear here.
      </p>
    );
  }
  return (
    <div className="table-scroll" role="region" aria-labelledby="activity-caption" tabIndex={0}>
      <table className="activity-table">
        <caption id="activity-caption">Your recent activity, newest first. Times are in UTC.</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">What happened</th>
            <th scope="col">IP address</th>
            <th scope="col">Browser</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} className={item.outcome === 'failure' ? 'activity-failure' : undefined}>
              <td className="nowrap">
                <time dateTime={item.occurredAt.toISOString()}>{utc.format(item.occurredAt)}</time>
              </td>
              <td>{item.summary}</td>
              <td className="activity-ip">{item.ip ?? <NotShown />}</td>
              <td>{item.browser ?? <NotShown />}</td>
              <td>{item.byLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
