import Link from 'next/link';
import type { EventPage } from '@/lib/events';
import { eventsHref, type EventFilter } from '@/lib/events/event-filter-schema';

/** Newer / older pages by keyset: the links carry the position, so a shared link shows the same page. */
export function EventsPager({ page, filter }: { page: EventPage; filter: EventFilter }) {
  if (!page.newer && !page.older) return null;
  return (
    <nav aria-label="Pages" className="pagination">
      {page.newer ? (
        <Link href={eventsHref({ ...filter, after: page.newer })} rel="prev">
          ← Newer events
        </Link>
      ) : (
        <span className="muted">← Newer events</span>
      )}
      <Link href={eventsHref(filter)}>Newest</Link>
      {page.older ? (
        <Link href={eventsHref({ ...filter, before: page.older })} rel="next">
          Older events →
        </Link>
      ) : (
        <span className="muted">Older events →</span>
      )}
    </nav>
  );
}
