import 'server-only';
import { searchEvents, type EventDto } from './search-events';

/** The newest events, optionally of one subject user (dashboards and the user page; Event Discovery has the rest). */
export async function listRecentEvents(options: { limit?: number; subjectUserId?: string } = {}): Promise<EventDto[]> {
  const page = await searchEvents({ range: 'all', user: options.subjectUserId }, { pageSize: Math.min(options.limit ?? 50, 500) });
  return page.items;
}
