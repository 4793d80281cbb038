import 'server-only';
import { runDirectorySyncJob } from '@/lib/directory';
import { pruneEvents } from '@/lib/events';
import { sweepExpiredInvitations } from '@/lib/invitations';
import { pruneCounters } from '@/lib/rate-limit';
import { sweepExpiredCodes } from '@/lib/registration-codes';
import { getAccountSettings } from '@/lib/settings';
import type { JobDefinition } from './types';

/** Every periodic job Onramp runs. Later features add theirs here. */
export const JOBS: readonly JobDefinition[] = [
  {
    name: 'sweep-expired-registration-codes',
    everySeconds: 5 * 60,
    run: async () => ({ expired: await sweepExpiredCodes() }),
  },
  {
    // Invitation › Expired for links that lapsed unused (opening one late records it too, once).
    name: 'sweep-expired-invitations',
    everySeconds: 15 * 60,
    run: async () => ({ recorded: await sweepExpiredInvitations() }),
  },
  {
    name: 'prune-rate-limit-windows',
    everySeconds: 60 * 60,
    run: async () => {
      await pruneCounters();
    },
  },
  {
    // Event retention (the setting on the Events page); writes one Events Pruned event with the count.
    name: 'prune-events',
    everySeconds: 60 * 60,
    run: async () => {
      const { deleted } = await pruneEvents((await getAccountSettings()).eventRetentionDays);
      return { deleted };
    },
  },
  {
    // Queues scheduled directory syncs when due and works the sync queue (its own lease keeps one run at a time).
    name: 'directory-sync',
    everySeconds: 30,
    run: runDirectorySyncJob,
  },
];
