import 'server-only';
export type { Database, Executor, Transaction } from '@/db/client';
export { getDatabaseHandle, getDb, setDatabaseHandle } from './database-handle';
export { queryRows } from './raw-query';
export { copyRows, prepareCopy, type CopyValue, type PreparedCopy } from './copy-rows';
export { uniqueViolation } from './errors';
export { startedAhead } from './started-ahead';
