import 'server-only';
import { errorFields, log } from '@/lib/log';
import { JOBS } from './registry';
import { runDueJobs } from './run-due-jobs';

const TICK_MS = 30_000;
let timer: NodeJS.Timeout | undefined;

/**
 * Starts this instance's job loop: every 30 s it runs whatever is due. Jobs are claimed in Postgres,
 * so with several instances each run still happens once. Safe to call twice.
 */
export function startJobRunner(): void {
  if (timer) return;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await runDueJobs(JOBS);
    } catch (error) {
      log.error('job runner tick failed', errorFields(error));
    } finally {
      busy = false;
    }
  };
  timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  void tick();
}

export function stopJobRunner(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}
