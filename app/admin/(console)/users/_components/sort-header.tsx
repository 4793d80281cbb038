import Link from 'next/link';
import { DEFAULT_SORT_DIRECTION, type UserListView } from '@/lib/users/list-users';
import type { UserFilter, UserSort } from '@/lib/users/user-filter';
import { usersListHref } from './users-list-href';

const DIRECTION_WORDS = { asc: 'ascending', desc: 'descending' } as const;

/** A column header that sorts by its column: a link to the list sorted by it (reversed if it already is), back to page 1. */
export function SortHeader({ label, sort, filter, view }: { label: string; sort: UserSort; filter: UserFilter; view: UserListView }) {
  const active = view.sort === sort;
  const next = active ? (view.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_SORT_DIRECTION[sort];
  return (
    <th scope="col" aria-sort={active ? DIRECTION_WORDS[view.dir] : undefined}>
      <Link className="sort-link" href={usersListHref(filter, { sort, dir: next, pageSize: view.pageSize })}>
        {label}
        <span className="visually-hidden">{`, sort ${DIRECTION_WORDS[next]}`}</span>
        <span aria-hidden="true" className="sort-arrow">
          {active ? (view.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </th>
  );
}
