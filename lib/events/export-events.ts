import 'server-only';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { csvRow, streamedDownloadResponse } from '@/lib/download';
import type { ClientInfo } from '@/lib/request';
import { eventQueryString, type EventFilter } from './event-filter-schema';
import { EVENT } from './event-types';
import { iterateEvents, type EventDto } from './search-events';
import { writeEvent, type Actor } from './write-event';

export type ExportFormat = 'csv' | 'jsonl';

export const EVENT_EXPORT_COLUMNS = [
  'id',
  'occurred_at',
  'type',
  'sub_type',
  'outcome',
  'actor_type',
  'actor',
  'actor_id',
  'subject_user_id',
  'subject_email',
  'device_id',
  'ip',
  'user_agent',
  'details',
] as const;

function exportRecord(event: EventDto) {
  return {
    id: event.id,
    occurred_at: event.occurredAt.toISOString(),
    type: event.type,
    sub_type: event.subType,
    outcome: event.outcome,
    actor_type: event.actorType,
    actor: event.actorLabel,
    actor_id: event.actorId,
    subject_user_id: event.subjectUserId,
    subject_email: event.subjectEmail,
    device_id: event.deviceId,
    ip: event.ip,
    user_agent: event.userAgent,
    details: event.details,
  };
}

/** CSV (RFC 4180, formula-safe cells, details as JSON text), one chunk per 1,000 events. */
export async function* streamEventsCsv(filter: EventFilter, at: Date = now()): AsyncGenerator<string> {
  yield csvRow([...EVENT_EXPORT_COLUMNS]);
  for await (const page of iterateEvents(filter, { at })) {
    yield page
      .map((event) => {
        const record = exportRecord(event);
        return csvRow(EVENT_EXPORT_COLUMNS.map((k) => (k === 'details' ? JSON.stringify(record.details) : String(record[k] ?? ''))));
      })
      .join('');
  }
}

/** JSON lines: one JSON object per event and line (JSON escapes line breaks in values, so one event is one line). */
export async function* streamEventsJsonl(filter: EventFilter, at: Date = now()): AsyncGenerator<string> {
  for await (const page of iterateEvents(filter, { at })) {
    yield page.map((event) => `${JSON.stringify(exportRecord(event))}\n`).join('');
  }
}

/**
 * The export of the current filter as a streamed download. Exporting the audit log is itself audited:
 * one Events Exported event (format and filter) is written before the first byte. The caller authorizes.
 */
export async function exportEventsResponse(filter: EventFilter, format: ExportFormat, actor: Actor, client: ClientInfo): Promise<Response> {
  const at = now();
  await writeEvent(getDb(), {
    kind: EVENT.eventsExported,
    actor,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { format, filter: eventQueryString(filter) || '(default: last 7 days)' },
  });
  const chunks = format === 'csv' ? streamEventsCsv(filter, at) : streamEventsJsonl(filter, at);
  return streamedDownloadResponse(chunks, { stem: 'onramp-events', format, logLabel: 'event export failed' });
}
