import Link from 'next/link';
import type { EventDto } from '@/lib/events';
import { utcToSecond } from './utc-time';

/** The event list of the admin pages (dashboard, user page, Event Discovery); each row opens its detail. */
export function EventsTable({ events, caption, empty = 'No events yet.' }: { events: EventDto[]; caption: string; empty?: string }) {
  if (events.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="events-table">
      <caption className="muted" style={{ textAlign: 'left', padding: '0.5rem 0' }}>
        {caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Type</th>
          <th scope="col">Sub type</th>
          <th scope="col">Actor</th>
          <th scope="col">User</th>
          <th scope="col">Outcome</th>
          <th scope="col">IP</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td>
              <Link href={`/admin/events/${e.id}`} aria-label={`Event ${e.id}: ${e.type} ${e.subType} at ${utcToSecond(e.occurredAt)} UTC`}>
                <time dateTime={e.occurredAt.toISOString()}>{utcToSecond(e.occurredAt)}</time>
              </Link>
            </td>
            <td>{e.type}</td>
            <td>{e.subType}</td>
            <td className="wrap">{e.actorLabel ?? e.actorType}</td>
            <td className="wrap">{e.subjectEmail ?? (e.subjectUserId ? 'Deleted user' : '—')}</td>
            <td>
              <span className={`badge ${e.outcome}`}>{e.outcome}</span>
            </td>
            <td>{e.ip ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
