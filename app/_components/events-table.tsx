import type { EventDto } from '@/lib/events';

export function EventsTable({ events, caption }: { events: EventDto[]; caption: string }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <table>
      <caption className="muted" style={{ textAlign: 'left', padding: '0.5rem 0' }}>
        {caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Type</th>
          <th scope="col">Sub type</th>
          <th scope="col">Actor</th>
          <th scope="col">Outcome</th>
          <th scope="col">IP</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td>
              <time dateTime={e.occurredAt.toISOString()}>{e.occurredAt.toISOString().replace('T', ' ').slice(0, 19)}</time>
            </td>
            <td>{e.type}</td>
            <td>{e.subType}</td>
            <td>{e.actorLabel ?? e.actorType}</td>
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
