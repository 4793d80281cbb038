'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Row selection for a server-paginated table: a checkbox per row and one for the page (indeterminate
 * when only some rows are selected). Ids that leave the page after a refresh are forgotten.
 */
export function usePageSelection(ids: string[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const pageBox = useRef<HTMLInputElement>(null);
  const onPage = ids.filter((id) => selected.has(id)).length;
  const allOnPage = ids.length > 0 && onPage === ids.length;

  useEffect(() => {
    if (pageBox.current) pageBox.current.indeterminate = onPage > 0 && !allOnPage;
  }, [onPage, allOnPage]);

  const listed = ids.join();
  useEffect(() => {
    const present = new Set(listed.split(','));
    setSelected((prev) => (Array.from(prev).every((id) => present.has(id)) ? prev : new Set(Array.from(prev).filter((id) => present.has(id)))));
  }, [listed]);

  function toggle(id: string, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    setSelected(next);
  }

  return {
    selected,
    pageBox,
    allOnPage,
    toggle,
    setPage: (checked: boolean) => setSelected(checked ? new Set(ids) : new Set()),
    clear: () => setSelected(new Set()),
  };
}
