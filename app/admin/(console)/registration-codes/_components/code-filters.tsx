import { CODE_STATUSES, CODE_STATUS_LABELS, type CodeFilter } from '@/lib/registration-codes/code-list-schemas';
import { CleanGetForm } from '../../users/_components/clean-get-form';
import { FilterButtons } from '@/app/_components/filter-buttons';

/** The list's filters: a GET form, so every view is a URL that can be shared. Remount it (key) when the URL changes. */
export function CodeFilters({ filter }: { filter: CodeFilter }) {
  return (
    <CleanGetForm action="/admin/registration-codes" role="search" aria-label="Registration codes" className="user-filters">
      <div className="field">
        <label htmlFor="codes-q">User email</label>
        <input id="codes-q" type="search" name="q" defaultValue={filter.q ?? ''} aria-describedby="codes-q-hint" maxLength={254} />
        <span className="hint" id="codes-q-hint">
          The beginning of the address.
        </span>
      </div>
      <div className="field">
        <label htmlFor="codes-status">Status</label>
        <select id="codes-status" name="status" defaultValue={filter.status ?? ''}>
          <option value="">Any</option>
          {CODE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {CODE_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <FilterButtons clearHref="/admin/registration-codes" />
    </CleanGetForm>
  );
}
