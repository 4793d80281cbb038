import 'server-only';

/** The events table keeps at most this much of a free-text field (as lib/events clips it). */
const MAX_EVENT_TEXT = 512;

/**
 * A free-text event field (IP, user agent, actor label) clipped as lib/events' writer does, for the
 * statements here that write their events in the same SQL as the change they record.
 */
export function clipEventText(value: string | null | undefined): string | null {
  return value == null ? null : value.slice(0, MAX_EVENT_TEXT);
}
