import 'server-only';
export type { Database, Executor, Transaction } from '@/db/client';
export { getDatabaseHandle, getDb, setDatabaseHandle } from './database-handle';
export { queryRows } from './raw-query';
export { uniqueViolation } from './errors';
export { startedAhead } from './started-ahead';
