import 'server-only';
export type { JobContext, JobDefinition } from './types';
export { JOBS } from './registry';
export { runDueJobs, releaseJobClaims, JOB_LEASE_SECONDS, type JobOutcome } from './run-due-jobs';
export { isShuttingDown, onShutdownRelease, shutDownBackgroundWork, shutdownSignal, trackBackgroundWork } from './shutdown';
export { startJobRunner, stopJobRunner } from './start-job-runner';
