import Link from 'next/link';
import { codeListHref, type CodeFilter } from '@/lib/registration-codes/code-list-schemas';
import { formatCount } from '../../users/_components/format';

/** Previous / next and "Page X of Y", keeping the filter. */
export function CodesPagination({ filter, page, pageCount }: { filter: CodeFilter; page: number; pageCount: number }) {
  return (
    <nav aria-label="Pages" className="pagination">
      {page > 1 ? (
        <Link href={codeListHref({ ...filter, page: page - 1 })} rel="prev">
          ← Previous page
        </Link>
      ) : (
        <span className="muted">← Previous page</span>
      )}
      <span>
        Page {formatCount(page)} of {formatCount(pageCount)}
      </span>
      {page < pageCount ? (
        <Link href={codeListHref({ ...filter, page: page + 1 })} rel="next">
          Next page →
        </Link>
      ) : (
        <span className="muted">Next page →</span>
      )}
    </nav>
  );
}
