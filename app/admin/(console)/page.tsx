import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';
import { countUsersByStatus } from '@/lib/users';
import { EventsTable } from '@/app/_components/events-table';
import { listRecentEvents } from '@/lib/events';

export const metadata: Metadata = { title: 'Overview' };

export default async function AdminHome() {
  await requireAdmin();
  const [counts, events] = await Promise.all([countUsersByStatus(), listRecentEvents({ limit: 10 })]);
  return (
    <>
      <h1>Overview</h1>
      <dl className="facts card">
        <dt>Active users</dt>
        <dd>{counts.active}</dd>
        <dt>Invited, not yet active</dt>
        <dd>{counts.invited}</dd>
        <dt>Disabled</dt>
        <dd>{counts.disabled}</dd>
      </dl>
      <h2>Latest events</h2>
      <EventsTable events={events} caption="The ten most recent events" />
    </>
  );
}
