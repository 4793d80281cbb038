import { EVENT } from '@/lib/events/event-types';
import { DEFAULT_TIME_RANGE, TIME_RANGES, TIME_RANGE_LABELS, type EventFilterErrors } from '@/lib/events/event-filter-schema';
import { CleanGetForm } from '../../users/_components/clean-get-form';
import { FilterButtons } from '@/app/_components/filter-buttons';

/** The catalogue's types and their sub types, for the two selects. */
const KINDS = Object.values(EVENT).reduce<Map<string, string[]>>((map, kind) => {
  map.set(kind.type, [...(map.get(kind.type) ?? []), kind.subType]);
  return map;
}, new Map());

type Raw = Record<string, string | undefined>;

function Field({ name, label, hint, error, children }: { name: string; label: string; hint?: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`events-${name}`}>{label}</label>
      {children}
      {hint ? (
        <span className="hint" id={`events-${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <p className="error" id={`events-${name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

const aria = (name: string, hint: boolean, error?: string) => ({
  id: `events-${name}`,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': [hint ? `events-${name}-hint` : '', error ? `events-${name}-error` : ''].filter(Boolean).join(' ') || undefined,
});

/**
 * Event Discovery's filter: a GET form, so every view is a URL that can be shared. It shows what was
 * typed (`raw`) even when a field was refused, with the reason beside it. Remount it (key) when the URL changes.
 */
export function EventFilters({ raw, errors }: { raw: Raw; errors: EventFilterErrors }) {
  const type = raw.type && KINDS.has(raw.type) ? raw.type : undefined;
  const text = (name: keyof EventFilterErrors, label: string, hint: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      <input name={name} defaultValue={raw[name] ?? ''} {...aria(name, true, errors[name])} {...props} />
    </Field>
  );
  return (
    <CleanGetForm action="/admin/events" role="search" aria-label="Events" className="user-filters event-filters" defaults={{ range: DEFAULT_TIME_RANGE }}>
      <Field name="range" label="Time range" error={errors.range}>
        <select name="range" defaultValue={raw.range ?? DEFAULT_TIME_RANGE} {...aria('range', false, errors.range)}>
          {TIME_RANGES.map((r) => (
            <option key={r} value={r}>
              {TIME_RANGE_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      {text('from', 'From (UTC)', 'For a custom range.', { type: 'datetime-local', step: 1 })}
      {text('to', 'To (UTC)', 'For a custom range.', { type: 'datetime-local', step: 1 })}
      <Field name="type" label="Type" error={errors.type}>
        <select name="type" defaultValue={raw.type ?? ''} {...aria('type', false, errors.type)}>
          <option value="">Any</option>
          {[...KINDS.keys()].sort().map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <Field name="subType" label="Sub type" hint="Of the chosen type." error={errors.subType}>
        <select name="subType" defaultValue={raw.subType ?? ''} {...aria('subType', true, errors.subType)}>
          <option value="">Any</option>
          {[...KINDS.entries()]
            .filter(([t]) => !type || t === type)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([t, subTypes]) => (
              <optgroup key={t} label={t}>
                {subTypes.map((s) => (
                  <option key={`${t}/${s}`} value={s}>
                    {s}
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
      </Field>
      {text('user', 'User', 'Email or user id of the user the event is about.', { type: 'search', maxLength: 254, autoComplete: 'off' })}
      {text('actor', 'Actor', 'Who did it: an email, or Onramp for the system.', { type: 'search', maxLength: 254, autoComplete: 'off' })}
      <Field name="outcome" label="Outcome" error={errors.outcome}>
        <select name="outcome" defaultValue={raw.outcome ?? ''} {...aria('outcome', false, errors.outcome)}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </Field>
      {text('ip', 'IP address', 'Exact address.', { type: 'search', maxLength: 64, autoComplete: 'off' })}
      <div className="user-search">
        {text('q', 'Search text', 'Anywhere in the event, including its details. Narrow the time range to make it faster.', { type: 'search', maxLength: 200 })}
      </div>
      <FilterButtons clearHref="/admin/events" />
    </CleanGetForm>
  );
}
