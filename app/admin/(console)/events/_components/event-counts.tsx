import Link from 'next/link';
import type { EventKindCount } from '@/lib/events';
import { eventsHref, type EventFilter } from '@/lib/events/event-filter-schema';
import { formatCount } from '../../users/_components/format';

/** Counts by type and sub type for the current filter; each links to the same view narrowed to it (drill-down). */
export function EventCounts({ counts, filter }: { counts: EventKindCount[]; filter: EventFilter }) {
  if (counts.length === 0) return null;
  const byType = new Map<string, number>();
  for (const c of counts) byType.set(c.type, (byType.get(c.type) ?? 0) + c.count);
  return (
    <table className="event-counts">
      <caption className="muted" style={{ textAlign: 'left', padding: '0.5rem 0' }}>
        Events by type and sub type for this filter. Choose one to narrow the list to it.
      </caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Sub type</th>
          <th scope="col" className="number">
            Events
          </th>
        </tr>
      </thead>
      <tbody>
        {counts.map((c) => (
          <tr key={`${c.type}/${c.subType}`}>
            <td>
              <Link href={eventsHref({ ...filter, type: c.type, subType: undefined })} aria-label={`${c.type}: ${formatCount(byType.get(c.type) ?? 0)} events`}>
                {c.type}
              </Link>
            </td>
            <td>
              <Link href={eventsHref({ ...filter, type: c.type, subType: c.subType })}>{c.subType}</Link>
            </td>
            <td className="number">{formatCount(c.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
