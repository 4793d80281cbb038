import 'server-only';
export { listOutbox, type OutboxMessageDto } from './list-outbox';
export { isDevOutboxActive } from './is-dev-outbox-active';
export { storeOutboxMessage, type OutboxChannel, type OutboxMessageInput } from './store-outbox-message';
