import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth';
import { listUsers, parseUserListView } from '@/lib/users/list-users';
import { parseUserFilter, userFilterToParams } from '@/lib/users/user-filter';
import { bulkUsersAction } from './actions';
import { formatCount, usersCount } from './_components/format';
import { Pagination } from './_components/pagination';
import { SortHeader } from './_components/sort-header';
import { UserCells, userDisplayName } from './_components/user-cells';
import { UserFilters } from './_components/user-filters';
import { UsersTable } from './_components/users-table';

export const metadata: Metadata = { title: 'Users' };

const SORT_WORDS = { created: 'date created', name: 'name', email: 'email', status: 'status' } as const;

/** The Users list: search, filters, sortable columns, pages and bulk actions; the whole view lives in the URL. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const params = await searchParams;
  const filter = parseUserFilter(params);
  const view = parseUserListView(params);
  const list = await listUsers({ filter, ...view });
  const filtered = userFilterToParams(filter).size > 0;
  const first = (list.page - 1) * list.pageSize + 1;
  const range = list.total === 0 ? '' : `${formatCount(first)}–${formatCount(first + list.rows.length - 1)} of `;
  const header = (label: string, sort: 'name' | 'email' | 'status' | 'created') => <SortHeader label={label} sort={sort} filter={filter} view={view} />;
  return (
    <>
      <div className="page-heading">
        <h1>Users</h1>
        <Link className="button" href="/admin/users/new">
          Create user
        </Link>
      </div>
      <UserFilters key={JSON.stringify({ filter, size: view.pageSize })} filter={filter} view={view} />
      <p className="list-summary">
        {list.total === 0 ? (filtered ? 'No users match this filter.' : 'No users yet.') : `Showing ${range}${usersCount(list.total)}${filtered ? ' that match this filter' : ''}.`}
      </p>
      <UsersTable
        // A new URL (filter, sort or page) starts with nothing selected; a refresh after an action keeps the result shown.
        key={JSON.stringify({ filter, view })}
        rows={list.rows.map((user) => ({ id: user.id, label: `${userDisplayName(user)} (${user.email})`, cells: <UserCells user={user} /> }))}
        headers={
          <>
            {header('Name', 'name')}
            {header('Email', 'email')}
            <th scope="col">Username</th>
            <th scope="col">Source</th>
            {header('Status', 'status')}
            <th scope="col">Phone</th>
            <th scope="col">MFA</th>
            <th scope="col">Codes</th>
            {header('Created', 'created')}
          </>
        }
        caption={`Users sorted by ${SORT_WORDS[view.sort]}, ${view.dir === 'asc' ? 'ascending' : 'descending'}; page ${formatCount(list.page)} of ${formatCount(list.pageCount)}.`}
        total={list.total}
        filter={filter}
        action={bulkUsersAction}
      />
      {list.total > 0 ? <Pagination filter={filter} view={view} page={list.page} pageCount={list.pageCount} /> : null}
    </>
  );
}
