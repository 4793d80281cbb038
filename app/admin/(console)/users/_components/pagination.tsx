import { Pagination as ListPagination } from '@/app/_components/pagination';
import type { UserListView } from '@/lib/users/list-users';
import type { UserFilter } from '@/lib/users/user-filter';
import { usersListHref } from './users-list-href';

/** The Users list's pages, keeping the filter and the view. */
export function Pagination({ filter, view, page, pageCount }: { filter: UserFilter; view: UserListView; page: number; pageCount: number }) {
  return <ListPagination page={page} pageCount={pageCount} hrefFor={(p) => usersListHref(filter, { ...view, page: p })} />;
}
