import { DEFAULT_SORT_DIRECTION, DEFAULT_USER_PAGE_SIZE, USER_PAGE_SIZES, type UserListView } from '@/lib/users/list-users';
import type { UserFilter } from '@/lib/users/user-filter';
import { CleanGetForm } from './clean-get-form';
import { FilterButtons } from '@/app/_components/filter-buttons';

type Options = readonly (readonly [value: string, label: string])[];

const FILTERS: readonly { name: Exclude<keyof UserFilter, 'q'>; label: string; options: Options }[] = [
  { name: 'source', label: 'Source', options: [['manual', 'Manual'], ['directory', 'Directory']] },
  { name: 'status', label: 'Status', options: [['invited', 'Invited'], ['active', 'Active'], ['disabled', 'Disabled']] },
  { name: 'mfa', label: 'MFA', options: [['enrolled', 'Enrolled'], ['not_enrolled', 'Not enrolled'], ['locked', 'Locked']] },
  {
    name: 'phone',
    label: 'Phone',
    options: [
      ['problem', 'Any problem'],
      ['ok', 'OK'],
      ['country_assumed', 'Country assumed'],
      ['missing_country_code', 'Missing country code'],
      ['invalid', 'Invalid number'],
      ['missing', 'No number'],
    ],
  },
  { name: 'code', label: 'Registration code', options: [['valid', 'Has a valid code'], ['none', 'No valid code']] },
];

/** The list's search and filters: a GET form, so every view is a URL that can be shared. Remount it (key) when the URL changes. */
export function UserFilters({ filter, view }: { filter: UserFilter; view: UserListView }) {
  return (
    <CleanGetForm action="/admin/users" defaults={{ size: String(DEFAULT_USER_PAGE_SIZE) }} role="search" aria-label="Users" className="user-filters">
      <div className="field user-search">
        <label htmlFor="users-q">Search</label>
        <input id="users-q" type="search" name="q" defaultValue={filter.q ?? ''} aria-describedby="users-q-hint" maxLength={200} />
        <span className="hint" id="users-q-hint">
          The beginning of an email, username, first or last name, or “first last”.
        </span>
      </div>
      {FILTERS.map((f) => (
        <div className="field" key={f.name}>
          <label htmlFor={`users-${f.name}`}>{f.label}</label>
          <select id={`users-${f.name}`} name={f.name} defaultValue={filter[f.name] ?? ''}>
            <option value="">Any</option>
            {f.options.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className="field">
        <label htmlFor="users-size">Per page</label>
        <select id="users-size" name="size" defaultValue={String(view.pageSize)}>
          {USER_PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      {/* The sort stays as it is; a new filter starts again at page 1. */}
      {view.sort !== 'created' ? <input type="hidden" name="sort" value={view.sort} /> : null}
      {view.dir !== DEFAULT_SORT_DIRECTION[view.sort] ? <input type="hidden" name="dir" value={view.dir} /> : null}
      <FilterButtons clearHref="/admin/users" />
    </CleanGetForm>
  );
}
