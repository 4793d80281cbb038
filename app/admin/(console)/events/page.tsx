import type { Metadata } from 'next';
import { EventsTable } from '@/app/_components/events-table';
import { requireAdmin } from '@/lib/auth';
import { listRecentEvents } from '@/lib/events';

export const metadata: Metadata = { title: 'Events' };

export default async function EventsPage() {
  await requireAdmin();
  const events = await listRecentEvents({ limit: 100 });
  return (
    <>
      <h1>Events</h1>
      <p className="muted">The audit log of sign-ins and changes. Filters, search and export arrive with Event Discovery.</p>
      <EventsTable events={events} caption="The 100 most recent events" />
    </>
  );
}
