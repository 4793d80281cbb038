import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/auth';
import { getEvent } from '@/lib/events';
import { eventsHref } from '@/lib/events/event-filter-schema';
import { utcPrecise } from '@/app/_components/utc-time';

export const metadata: Metadata = { title: 'Event' };

/** One event with everything it recorded. Every value is rendered as text (React escapes it), details as indented JSON. */
export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const event = /^\d{1,15}$/.test(id) ? await getEvent(Number(id)) : null;
  if (!event) notFound();
  const rows: [string, React.ReactNode][] = [
    ['Time', <time key="t" dateTime={event.occurredAt.toISOString()}>{utcPrecise(event.occurredAt)}</time>],
    ['Type', <Link key="type" href={eventsHref({ range: 'all', type: event.type })}>{event.type}</Link>],
    ['Sub type', <Link key="sub" href={eventsHref({ range: 'all', type: event.type, subType: event.subType })}>{event.subType}</Link>],
    ['Outcome', <span key="o" className={`badge ${event.outcome}`}>{event.outcome}</span>],
    ['Actor', `${event.actorLabel ?? '—'} (${event.actorType}${event.actorId ? `, id ${event.actorId}` : ''})`],
    [
      'User',
      event.subjectUserId ? (
        event.subjectEmail ? (
          <Link key="u" href={`/admin/users/${event.subjectUserId}`}>{event.subjectEmail}</Link>
        ) : (
          `Deleted user (id ${event.subjectUserId})`
        )
      ) : (
        '—'
      ),
    ],
    ['Device', event.deviceId ?? '—'],
    ['IP address', event.ip ? <Link key="ip" href={eventsHref({ range: 'all', ip: event.ip })}>{event.ip}</Link> : '—'],
    ['Browser (user agent)', event.userAgent ?? '—'],
  ];
  return (
    <>
      <p>
        <Link href="/admin/events">← Events</Link>
      </p>
      <h1>
        Event {event.id}: {event.type} › {event.subType}
      </h1>
      <dl className="event-detail">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>Details</h2>
      {Object.keys(event.details).length ? (
        <pre className="event-details" tabIndex={0} aria-label="Event details as JSON">
          {JSON.stringify(event.details, null, 2)}
        </pre>
      ) : (
        <p className="muted">This event recorded no details.</p>
      )}
      {event.subjectUserId ? (
        <p>
          <Link href={eventsHref({ range: 'all', user: event.subjectUserId })}>All events of this user</Link>
        </p>
      ) : null}
    </>
  );
}
