import Link from 'next/link';
import type { UserListView } from '@/lib/users/list-users';
import type { UserFilter } from '@/lib/users/user-filter';
import { formatCount } from './format';
import { usersListHref } from './users-list-href';

/** Previous / next and "Page X of Y". */
export function Pagination({ filter, view, page, pageCount }: { filter: UserFilter; view: UserListView; page: number; pageCount: number }) {
  const href = (p: number) => usersListHref(filter, { ...view, page: p });
  return (
    <nav aria-label="Pages" className="pagination">
      {page > 1 ? (
        <Link href={href(page - 1)} rel="prev">
          ← Previous page
        </Link>
      ) : (
        <span className="muted">← Previous page</span>
      )}
      <span>
        Page {formatCount(page)} of {formatCount(pageCount)}
      </span>
      {page < pageCount ? (
        <Link href={href(page + 1)} rel="next">
          Next page →
        </Link>
      ) : (
        <span className="muted">Next page →</span>
      )}
    </nav>
  );
}
