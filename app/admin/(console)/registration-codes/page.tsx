import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth';
import { countUsersWithoutCodes, listCodes } from '@/lib/registration-codes';
import { parseCodeListQuery } from '@/lib/registration-codes/code-list-schemas';
import { getAccountSettings } from '@/lib/settings';
import { formatCount } from '../users/_components/format';
import { generateCodesForNewUsersAction, revokeCodesAction } from './actions';
import { CodeCells, codeRowLabel } from './_components/code-cells';
import { CodeFilters } from './_components/code-filters';
import { codesCount } from './_components/codes-count';
import { CodesPagination } from './_components/codes-pagination';
import { CodesTable } from './_components/codes-table';
import { GenerateForNewUsers } from './_components/generate-for-new-users';

export const metadata: Metadata = { title: 'Registration Codes' };

/** Registration codes: the list (filters and page in the URL), revoke, the CSV download and generation for new users. */
export default async function RegistrationCodesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = parseCodeListQuery(await searchParams);
  const filter = { status: query.status, q: query.q };
  const [list, newUsers, settings] = await Promise.all([listCodes(query), countUsersWithoutCodes(), getAccountSettings()]);
  const filtered = Boolean(filter.status || filter.q);
  const first = (list.page - 1) * list.pageSize + 1;
  const range = list.total === 0 ? '' : `${formatCount(first)}–${formatCount(first + list.rows.length - 1)} of `;
  return (
    <>
      <div className="page-heading">
        <h1>Registration Codes</h1>
        {/* A plain link: the route answers with an attachment, so the browser downloads it and stays here. */}
        <a className="button secondary" href="/admin/registration-codes/download" download>
          Download Registration Codes
        </a>
      </div>
      <p>
        A VPN client redeems a one-time registration code to register one device. The download is a CSV file of every valid code with its
        user’s name and email, to hand the codes over.
      </p>
      {settings.provisioningMethod !== 'registration_code' ? (
        <p className="alert info">
          New users get an invitation email (<Link href="/admin/provisioning">User Provisioning</Link>), not a code. Codes generated here still
          work.
        </p>
      ) : null}
      <GenerateForNewUsers count={newUsers} action={generateCodesForNewUsersAction} />
      <h2>Codes</h2>
      <CodeFilters key={JSON.stringify(filter)} filter={filter} />
      <p className="list-summary">
        {list.total === 0
          ? filtered
            ? 'No codes match this filter.'
            : 'No registration codes yet.'
          : `Showing ${range}${codesCount(list.total)}${filtered ? ' that match this filter' : ''}, newest first.`}
      </p>
      <CodesTable
        // A new URL (filter or page) starts with nothing selected.
        key={JSON.stringify(query)}
        rows={list.rows.map((row) => ({ id: row.id, label: codeRowLabel(row), revocable: row.status === 'valid', cells: <CodeCells row={row} /> }))}
        headers={
          <>
            <th scope="col">User</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Used</th>
            <th scope="col">Device</th>
          </>
        }
        caption={`Registration codes, newest first; page ${formatCount(list.page)} of ${formatCount(list.pageCount)}.`}
        action={revokeCodesAction}
      />
      {list.total > 0 ? <CodesPagination filter={filter} page={list.page} pageCount={list.pageCount} /> : null}
    </>
  );
}
