import { z } from 'zod';

/** Shared by the Sync Now / Dry run buttons and their action. */
export const requestSyncSchema = z.object({
  mode: z.enum(['sync', 'dry-run'], { error: 'Choose Sync Now or Dry run.' }),
});

/** Shared by the Apply anyway confirmation and its action. */
export const applyAnywaySchema = z.object({
  runId: z.uuid({ error: 'This run no longer exists.' }),
});

export const SYNC_ACTIONS = ['create', 'update', 'disable', 'reenable', 'skip', 'phone_problem'] as const;
export type SyncActionFilter = (typeof SYNC_ACTIONS)[number];

/** The run page's query: page and action filter (anything unknown is ignored). */
export function parseChangeQuery(params: Record<string, string | string[] | undefined>): { page: number; action: SyncActionFilter | null } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const page = Math.max(1, Number.parseInt(first(params.page) ?? '1', 10) || 1);
  const action = first(params.action);
  return { page, action: (SYNC_ACTIONS as readonly string[]).includes(action ?? '') ? (action as SyncActionFilter) : null };
}

/** "?page=" of a plain paginated list. */
export function parsePage(params: Record<string, string | string[] | undefined>): number {
  const v = Array.isArray(params.page) ? params.page[0] : params.page;
  return Math.max(1, Number.parseInt(v ?? '1', 10) || 1);
}
