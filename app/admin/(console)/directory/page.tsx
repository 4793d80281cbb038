import { getCountries } from 'libphonenumber-js';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Pagination } from '@/app/_components/pagination';
import { requireAdmin } from '@/lib/auth';
import { getActiveSyncRun, getDirectorySettings, listSyncRuns } from '@/lib/directory';
import { formatCount, formatMinute } from '../users/_components/format';
import { requestSyncAction, saveDirectorySettingsAction, testDirectoryConnectionAction } from './actions';
import { AutoRefresh } from './_components/auto-refresh';
import { outcomeText, progressText } from './_components/labels';
import { parsePage } from './_components/run-schemas';
import { RunsTable } from './_components/runs-table';
import { SafetyHold } from './_components/safety-hold';
import { DirectorySettingsForm, type CountryOption } from './_components/settings-form';
import { SyncControls } from './_components/sync-controls';

export const metadata: Metadata = { title: 'Directory Services' };

const HISTORY_PAGE_SIZE = 20;

function countryOptions(): CountryOption[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** Directory Services: settings and Test connection, Sync Now / Dry run with live progress, and the run history. */
export default async function DirectoryServicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const page = parsePage(await searchParams);
  const [settings, active, history, [latest]] = await Promise.all([
    getDirectorySettings(),
    getActiveSyncRun(),
    listSyncRuns(page, HISTORY_PAGE_SIZE),
    listSyncRuns(1, 1).then((p) => p.items),
  ]);
  const pageCount = Math.max(1, Math.ceil(history.total / history.pageSize));
  return (
    <>
      <h1>Directory Services</h1>
      <p>
        Import users from an LDAP directory (OpenLDAP, Active Directory) and keep them in sync. Users who leave the directory are disabled, never
        deleted, and enabled again when they come back; users created in the console are never touched. Before turning on SMS two-factor
        authentication, check <Link href="/admin/directory/phone-health">Phone health</Link>.
      </p>

      <h2>Settings</h2>
      {!settings.configured ? <p className="alert info">Directory Services is not configured yet. Fill in the settings, test the connection, then save.</p> : null}
      <DirectorySettingsForm initial={settings} countries={countryOptions()} saveAction={saveDirectorySettingsAction} testAction={testDirectoryConnectionAction} />
      {settings.scheduleMinutes && settings.nextScheduledAt ? (
        <p>
          Scheduled every {formatCount(settings.scheduleMinutes)} minutes; next run at{' '}
          <time dateTime={settings.nextScheduledAt.toISOString()}>{formatMinute(settings.nextScheduledAt)}</time>.
        </p>
      ) : null}

      <h2>Sync</h2>
      {settings.configured ? (
        <SyncControls action={requestSyncAction} busy={!!active} />
      ) : (
        <p className="muted">Save the settings first: Sync Now and Dry run use the saved settings.</p>
      )}
      <AutoRefresh active={!!active} />
      <div className="card sync-progress">
        <h3>Current run</h3>
        <div role="status" aria-live="polite">
          {active ? (
            <p>{progressText(active)}</p>
          ) : latest ? (
            <p>
              No run in progress. Last run: {outcomeText(latest)}
            </p>
          ) : (
            <p>No run yet.</p>
          )}
        </div>
        {active ? (
          <p>
            <Link href={`/admin/directory/runs/${active.id}`}>Open the current run</Link>
          </p>
        ) : latest ? (
          <p>
            <Link href={`/admin/directory/runs/${latest.id}`}>Open the last run</Link>
          </p>
        ) : null}
      </div>
      {latest?.status === 'waiting_approval' ? <SafetyHold run={latest} thresholdPercent={settings.disableThresholdPercent} /> : null}

      <h2>History</h2>
      {history.total === 0 ? (
        <p>No sync has run yet.</p>
      ) : (
        <>
          <RunsTable
            runs={history.items}
            caption={`Sync runs, newest first; page ${formatCount(history.page)} of ${formatCount(pageCount)}. Open a run for its per-user changes.`}
          />
          <Pagination page={history.page} pageCount={pageCount} hrefFor={(p) => `/admin/directory?page=${p}`} />
        </>
      )}
    </>
  );
}
