import 'server-only';
import { errorFields, log } from '@/lib/log';
import { JOBS } from './registry';
import { runDueJobs } from './run-due-jobs';
import { shutdownSignal, trackBackgroundWork } from './shutdown';

const TICK_MS = 30_000;
let timer: NodeJS.Timeout | undefined;

/**
 * Starts this instance's job loop: every 30 s it runs whatever is due. Jobs are claimed in Postgres,
 * so with several instances each run still happens once. Safe to call twice.
 */
export function startJobRunner(): void {
  const signal = shutdownSignal();
  if (timer || signal.aborted) return;
  let busy = false;
  const tick = async () => {
    if (busy || signal.aborted) return;
    busy = true;
    try {
      await trackBackgroundWork(runDueJobs(JOBS, signal));
    } catch (error) {
      log.error('job runner tick failed', errorFields(error));
    } finally {
      busy = false;
    }
  };
  timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  // At shutdown no new tick starts; the one running sees the signal and stops between steps.
  signal.addEventListener('abort', () => stopJobRunner(), { once: true });
  void tick();
}

export function stopJobRunner(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}
