import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Periodic jobs shared by every instance: an instance claims a due job by moving its lease forward in
 * one UPDATE, so each run happens once however many instances there are.
 */
export const scheduledJobs = pgTable('scheduled_jobs', {
  name: text().primaryKey(),
  nextRunAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  leaseUntil: timestamp({ withTimezone: true }),
  lastStartedAt: timestamp({ withTimezone: true }),
  lastFinishedAt: timestamp({ withTimezone: true }),
  lastError: text(),
});
