'use client';

import { useState, type ReactNode } from 'react';
import { usePageSelection } from '@/app/_components/use-page-selection';
import type { UserFilter } from '@/lib/users/user-filter';
import { BulkActions, type BulkUsersAction } from './bulk-actions';
import { formatCount, usersCount } from './format';

export interface SelectableRow {
  id: string;
  /** Names the row's checkbox, e.g. "Ada Lovelace (ada@example.com)". */
  label: string;
  /** The row's cells after the checkbox, rendered on the server. */
  cells: ReactNode;
}

/**
 * The Users table with selection: a checkbox per row, one for the whole page, and, once the page is
 * selected, "all N users that match this filter" (the selection is then the filter, not ids).
 */
export function UsersTable({
  rows,
  headers,
  caption,
  total,
  filter,
  action,
}: {
  rows: SelectableRow[];
  headers: ReactNode;
  caption: string;
  total: number;
  filter: UserFilter;
  action: BulkUsersAction;
}) {
  const { selected, pageBox, allOnPage, toggle: toggleRow, setPage, clear: clearRows } = usePageSelection(rows.map((r) => r.id));
  const [wholeFilter, setWholeFilter] = useState(false);

  function toggle(id: string, checked: boolean) {
    toggleRow(id, checked);
    setWholeFilter(false);
  }

  function togglePage(checked: boolean) {
    setPage(checked);
    setWholeFilter(false);
  }

  function clear() {
    clearRows();
    setWholeFilter(false);
  }

  /** The banner goes away with the selection: focus moves to the page checkbox rather than being lost. */
  function clearFromBanner() {
    clear();
    pageBox.current?.focus();
  }

  const count = wholeFilter ? total : selected.size;
  return (
    <>
      <BulkActions
        selection={{ scope: wholeFilter ? 'filter' : 'ids', ids: Array.from(selected), filter, count }}
        action={action}
        onDone={clear}
        showBar={rows.length > 0}
      />
      {/* A live region that is always there, so its message is announced when the page gets selected. */}
      <div role="status" className="select-all-banner">
        {allOnPage && total > rows.length ? (
          <>
            <span>{wholeFilter ? `All ${usersCount(total)} that match this filter are selected.` : `All ${usersCount(rows.length)} on this page are selected.`}</span>{' '}
            {/* One button that changes its words, so keyboard focus stays on it. */}
            <button type="button" className="link-button" onClick={wholeFilter ? clearFromBanner : () => setWholeFilter(true)}>
              {wholeFilter ? 'Clear the selection' : `Select all ${formatCount(total)} users that match this filter`}
            </button>
          </>
        ) : null}
      </div>
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="users-table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  <input
                    ref={pageBox}
                    type="checkbox"
                    checked={allOnPage}
                    onChange={(e) => togglePage(e.target.checked)}
                    aria-label={`Select all ${usersCount(rows.length)} on this page`}
                  />
                </th>
                {headers}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const checked = wholeFilter || selected.has(row.id);
                return (
                  <tr key={row.id} className={checked ? 'selected' : undefined}>
                    <td className="select-cell">
                      <input type="checkbox" checked={checked} onChange={(e) => toggle(row.id, e.target.checked)} aria-label={`Select ${row.label}`} />
                    </td>
                    {row.cells}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
