import 'server-only';
export { EVENT, type EventKind } from './event-types';
export { insertEventsFrom, prepareEventsCopy, writeEvent, writeEvents, SYSTEM_ACTOR, SecretInEventError, type Actor, type EventInput } from './write-event';
export { listRecentEvents } from './list-events';
export { countEventsByKind, getEvent, iterateEvents, searchEvents, timeWindow, type EventDto, type EventKindCount, type EventPage } from './search-events';
export { exportEventsResponse, streamEventsCsv, streamEventsJsonl, EVENT_EXPORT_COLUMNS, type ExportFormat } from './export-events';
export { pruneEvents } from './prune-events';
export { listOwnActivity, OWN_ACTIVITY_DEFAULT_LIMIT, OWN_ACTIVITY_MAX_LIMIT, type OwnActivityDto, type ActivityActor } from './list-own-activity';
export { describeUserAgent } from './describe-user-agent';
