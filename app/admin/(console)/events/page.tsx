import type { Metadata } from 'next';
import { EventsTable } from '@/app/_components/events-table';
import { requireAdmin } from '@/lib/auth';
import { countEventsByKind, searchEvents } from '@/lib/events';
import { filterOf, isFiltered, parseEventQuery, eventQueryString } from '@/lib/events/event-filter-schema';
import { getAccountSettings } from '@/lib/settings';
import { formatCount } from '../users/_components/format';
import { saveEventSettingsAction } from './actions';
import { EventCounts } from './_components/event-counts';
import { EventFilters } from './_components/event-filters';
import { EventsPager } from './_components/events-pager';
import { RetentionForm } from './_components/retention-form';

export const metadata: Metadata = { title: 'Events' };

/** Event Discovery: the audit log with filters in the URL, drill-down counts, keyset pages, export and retention. */
export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const { query, errors, raw } = parseEventQuery(await searchParams);
  const filter = filterOf(query);
  const [page, counts, settings] = await Promise.all([searchEvents(query), countEventsByKind(filter), getAccountSettings()]);
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const exportQuery = eventQueryString(filter);
  const exportHref = (format: string) => `/admin/events/export?${new URLSearchParams([...new URLSearchParams(exportQuery), ['format', format]])}`;
  return (
    <>
      <div className="page-heading">
        <h1>Events</h1>
        <div className="button-row">
          {/* Plain links: the route answers with an attachment, so the browser downloads it and stays here. */}
          <a className="button secondary" href={exportHref('csv')} download>
            Export CSV
          </a>
          <a className="button secondary" href={exportHref('jsonl')} download>
            Export JSON lines
          </a>
        </div>
      </div>
      <p>Every sign-in, change and delivery Onramp records. Filters live in the address, so a view can be shared; exports follow the current filter.</p>
      <EventFilters key={JSON.stringify(raw)} raw={raw} errors={errors} />
      {Object.keys(errors).length ? (
        <p className="alert error" role="alert">
          Some filters were not applied: {Object.values(errors).join(' ')}
        </p>
      ) : null}
      <p className="list-summary" role="status">
        {total === 0
          ? isFiltered(filter)
            ? 'No events match this filter.'
            : 'No events in this time range.'
          : `${formatCount(total)} ${total === 1 ? 'event matches' : 'events match'} this filter, newest first.`}
      </p>
      <EventCounts counts={counts} filter={filter} />
      <h2>Events</h2>
      <EventsTable events={page.items} caption="Matching events, newest first. Open an event's time to see everything it recorded." empty="No events on this page." />
      <EventsPager page={page} filter={filter} />
      <RetentionForm action={saveEventSettingsAction} days={settings.eventRetentionDays} />
    </>
  );
}
