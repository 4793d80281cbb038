import 'server-only';
import { runDirectorySyncJob } from '@/lib/directory';
import { pruneCounters } from '@/lib/rate-limit';
import { sweepExpiredCodes } from '@/lib/registration-codes';
import type { JobDefinition } from './types';

/** Every periodic job Onramp runs. Later features add theirs here. */
export const JOBS: readonly JobDefinition[] = [
  {
    name: 'sweep-expired-registration-codes',
    everySeconds: 5 * 60,
    run: async () => ({ expired: await sweepExpiredCodes() }),
  },
  {
    name: 'prune-rate-limit-windows',
    everySeconds: 60 * 60,
    run: async () => {
      await pruneCounters();
    },
  },
  {
    // Queues scheduled directory syncs when due and works the sync queue (its own lease keeps one run at a time).
    name: 'directory-sync',
    everySeconds: 30,
    run: runDirectorySyncJob,
  },
];
