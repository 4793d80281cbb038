import 'server-only';
export { EVENT, type EventKind } from './event-types';
export { writeEvent, writeEvents, SYSTEM_ACTOR, SecretInEventError, type Actor, type EventInput } from './write-event';
export { listRecentEvents, type EventDto } from './list-events';
