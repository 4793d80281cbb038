import Link from 'next/link';

const numbers = new Intl.NumberFormat('en');

/** Previous / next and "Page X of Y" for server-paginated lists; `hrefFor` keeps the list's filter. */
export function Pagination({ page, pageCount, hrefFor }: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  return (
    <nav aria-label="Pages" className="pagination">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} rel="prev">
          ← Previous page
        </Link>
      ) : (
        <span className="muted">← Previous page</span>
      )}
      <span>
        Page {numbers.format(page)} of {numbers.format(pageCount)}
      </span>
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} rel="next">
          Next page →
        </Link>
      ) : (
        <span className="muted">Next page →</span>
      )}
    </nav>
  );
}
