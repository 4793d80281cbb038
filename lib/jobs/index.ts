import 'server-only';
export type { JobDefinition } from './types';
export { JOBS } from './registry';
export { runDueJobs, JOB_LEASE_SECONDS, type JobOutcome } from './run-due-jobs';
export { startJobRunner, stopJobRunner } from './start-job-runner';
