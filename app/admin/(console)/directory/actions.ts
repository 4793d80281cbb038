'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import type { AdminPrincipal } from '@/lib/auth';
import {
  applySyncAnyway,
  directorySettingsSchema,
  DirectorySettingsError,
  requestSync,
  saveDirectorySettings,
  SyncRefusedError,
  testDirectoryConnection,
  type ConnectionTestResult,
} from '@/lib/directory';
import type { Actor } from '@/lib/events';
import { applyAnywaySchema, requestSyncSchema } from './_components/run-schemas';

const actorOf = (principal: AdminPrincipal): Actor => ({ type: 'admin', id: principal.id, label: principal.email });

const asFieldErrors = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]]));

/** Saves the Directory Services settings; an empty bind password keeps the stored one. */
export const saveDirectorySettingsAction = adminAction(directorySettingsSchema, async (input, { principal, client }) => {
  let changed: string[];
  try {
    ({ changed } = await saveDirectorySettings(input, actorOf(principal), client));
  } catch (error) {
    if (!(error instanceof DirectorySettingsError)) throw error;
    return { ok: false, fieldErrors: asFieldErrors(error.fieldErrors) };
  }
  revalidatePath('/admin/directory');
  return { ok: true, message: changed.length ? 'Directory Services settings saved.' : 'Nothing changed.' };
});

/** Test connection with the values on the form (not saved; an empty password field uses the stored password). */
export const testDirectoryConnectionAction = adminAction(directorySettingsSchema, async (input) => {
  const data: ConnectionTestResult = await testDirectoryConnection(input);
  return { ok: true, data };
});

/** Sync Now or Dry run: queued, and started at once in this instance. */
export const requestSyncAction = adminAction(requestSyncSchema, async ({ mode }, { principal }) => {
  const dryRun = mode === 'dry-run';
  try {
    const { alreadyQueued } = await requestSync({ trigger: 'manual', dryRun, actor: actorOf(principal) });
    revalidatePath('/admin/directory');
    const what = dryRun ? 'dry run' : 'sync';
    return { ok: true, message: alreadyQueued ? `A ${what} was already queued: it runs next.` : `The ${what} has started.` };
  } catch (error) {
    if (!(error instanceof SyncRefusedError)) throw error;
    return { ok: false, formError: error.message };
  }
});

/** Apply anyway: approves a run held at the safety limit and queues the run that applies it. */
export const applySyncAnywayAction = adminAction(applyAnywaySchema, async ({ runId }, { principal, client }) => {
  try {
    await applySyncAnyway(runId, actorOf(principal), client);
  } catch (error) {
    if (!(error instanceof SyncRefusedError)) throw error;
    return { ok: false, formError: error.message };
  }
  revalidatePath('/admin/directory');
  revalidatePath(`/admin/directory/runs/${runId}`);
  return { ok: true, message: 'Approved: a new sync has started and applies the changes.' };
});
