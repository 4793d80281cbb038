'use client';

import { useId, useRef, useState } from 'react';

export interface CountryOption {
  code: string;
  name: string;
  callingCode: string;
}

/**
 * The SMS country allow-list: the chosen countries, each with a Remove button, and a picker to add one.
 * Keyboard-friendly (a select and buttons) where a 245-option multi-select is not. Each chosen country
 * is a hidden `name` field; none means every country.
 */
export function CountryAllowList({ name, countries, initial, errors }: { name: string; countries: CountryOption[]; initial: string[]; errors?: string[] }) {
  const id = useId();
  const [chosen, setChosen] = useState<string[]>(initial);
  const [pick, setPick] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const pickerRef = useRef<HTMLSelectElement>(null);
  const byCode = new Map(countries.map((c) => [c.code, c]));
  const label = (code: string) => {
    const c = byCode.get(code);
    return c ? `${c.name} (+${c.callingCode})` : code;
  };
  const add = () => {
    if (!pick || chosen.includes(pick)) return;
    setChosen([...chosen, pick].sort((a, b) => label(a).localeCompare(label(b))));
    setAnnouncement(`${label(pick)} added.`);
    setPick('');
  };
  const remove = (code: string) => {
    setChosen(chosen.filter((c) => c !== code));
    setAnnouncement(`${label(code)} removed.`);
    pickerRef.current?.focus();
  };
  const errorId = `${id}-error`;
  return (
    <fieldset className="field country-allow-list" aria-describedby={`${id}-hint${errors?.length ? ` ${errorId}` : ''}`}>
      <legend>Countries SMS may be sent to</legend>
      <span className="hint" id={`${id}-hint`}>
        Codes are only sent to numbers of these countries. With no country chosen, SMS may go to every country.
      </span>
      {chosen.length === 0 ? (
        <p className="muted">No countries chosen: every country is allowed.</p>
      ) : (
        <ul aria-label="Allowed countries">
          {chosen.map((code) => (
            <li key={code}>
              <input type="hidden" name={name} value={code} />
              <span>{label(code)}</span>{' '}
              <button type="button" className="link-button" onClick={() => remove(code)} aria-label={`Remove ${label(code)}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <span className="inline-action">
        <label htmlFor={`${id}-pick`} className="visually-hidden">
          Country to allow
        </label>
        <select
          id={`${id}-pick`}
          ref={pickerRef}
          value={pick}
          onChange={(e) => setPick(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          style={{ maxWidth: '22rem' }}
        >
          <option value="">Choose a country…</option>
          {countries
            .filter((c) => !chosen.includes(c.code))
            .map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} (+{c.callingCode})
              </option>
            ))}
        </select>
        <button type="button" className="button secondary" onClick={add} disabled={!pick}>
          Add country
        </button>
      </span>
      <span role="status" className="visually-hidden">
        {announcement}
      </span>
      {errors?.length ? (
        <p className="error" id={errorId}>
          {errors.join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}
