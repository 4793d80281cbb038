import Link from 'next/link';

/** The end of every filter form: Apply, and a link back to the unfiltered list. */
export function FilterButtons({ clearHref }: { clearHref: string }) {
  return (
    <div className="user-filters-buttons">
      <button type="submit" className="button">
        Apply
      </button>
      <Link href={clearHref}>Clear filters</Link>
    </div>
  );
}
