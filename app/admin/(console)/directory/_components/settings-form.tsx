'use client';

import { useState, type ReactNode } from 'react';
import { FieldFrame, FormMessage, fieldAria } from '@/app/_components/form-fields';
import { SaveOrTestButtons } from '@/app/_components/save-or-test-buttons';
import { useSaveOrTest, type FormAction } from '@/app/_components/use-save-or-test';
// Types only from lib/directory (erased at build); the presets come from the client-safe schemas module.
import type { ConnectionTestResult, DirectorySettingsDto } from '@/lib/directory';
import { DIRECTORY_PRESETS } from '@/lib/directory/schemas';
import { ConnectionTestReport } from './connection-test-report';


export interface CountryOption {
  code: string;
  name: string;
}

/** The schedule choices (minutes); a stored value that isn't one of them is offered too. */
const SCHEDULE_CHOICES: [number, string][] = [
  [15, 'Every 15 minutes'],
  [30, 'Every 30 minutes'],
  [60, 'Every hour'],
  [120, 'Every 2 hours'],
  [240, 'Every 4 hours'],
  [720, 'Every 12 hours'],
  [1440, 'Every day'],
];

function scheduleChoices(current: number | null): [number, string][] {
  if (current === null || SCHEDULE_CHOICES.some(([m]) => m === current)) return SCHEDULE_CHOICES;
  const custom: [number, string] = [current, `Every ${current} minutes`];
  return [...SCHEDULE_CHOICES, custom].sort((a, b) => a[0] - b[0]);
}

const MAPPING_FIELDS = ['userFilter', 'idAttribute', 'usernameAttribute', 'emailAttribute', 'firstNameAttribute', 'lastNameAttribute'] as const;

/**
 * The Directory Services settings. Submitting never resets the form (the browser keeps what was typed,
 * on errors too); Test connection sends the same fields to its own action without saving them.
 */
export function DirectorySettingsForm({
  initial,
  countries,
  saveAction,
  testAction,
}: {
  initial: DirectorySettingsDto;
  countries: CountryOption[];
  saveAction: FormAction;
  testAction: FormAction<ConnectionTestResult>;
}) {
  const [presetNote, setPresetNote] = useState('');
  // The saved password is never shown back: empty the field (and the remove option) once it is stored.
  const { formRef, intent, state, pending, submit } = useSaveOrTest(saveAction, testAction, (form) => {
    const password = form.elements.namedItem('bindPassword') as HTMLInputElement | null;
    if (password) password.value = '';
    const clear = form.elements.namedItem('clearBindPassword') as HTMLInputElement | null;
    if (clear) clear.checked = false;
  });

  function applyPreset(key: keyof typeof DIRECTORY_PRESETS) {
    const form = formRef.current;
    if (!form) return;
    const preset = DIRECTORY_PRESETS[key];
    for (const name of MAPPING_FIELDS) {
      const input = form.elements.namedItem(name) as HTMLInputElement | null;
      if (input) input.value = preset[name];
    }
    const phones = form.elements.namedItem('phoneAttributes') as HTMLInputElement | null;
    if (phones) phones.value = preset.phoneAttributes.join(', ');
    setPresetNote(`The ${preset.label} filter and attribute mapping are filled in. Save to keep them.`);
  }

  const result = state?.result;
  const errorsOf = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined);

  const field = (name: string, label: string, input: ReactNode, hint?: string) => (
    <FieldFrame name={name} label={label} hint={hint} errors={errorsOf(name)}>
      {input}
    </FieldFrame>
  );
  const text = (name: string, label: string, defaultValue: string | number | null, hint?: string, extra: Record<string, unknown> = {}) =>
    field(
      name,
      label,
      <input type="text" name={name} defaultValue={defaultValue ?? ''} {...fieldAria(name, hint, errorsOf(name))} spellCheck={false} autoComplete="off" {...extra} />,
      hint,
    );
  const number = (name: string, label: string, defaultValue: number | null, hint: string, min: number, max: number) =>
    text(name, label, defaultValue, hint, { type: 'number', inputMode: 'numeric', min, max, style: { maxWidth: '10rem' } });

  return (
    <form ref={formRef} onSubmit={submit} className="stack card directory-form" noValidate aria-label="Directory Services settings">
      {state && (state.intent === 'save' || !state.result.ok) ? <FormMessage state={state.result} /> : null}

      <fieldset className="field">
        <legend>Server</legend>
        {text('url', 'Directory URL', initial.url, 'ldap://host:389 or ldaps://host:636. Certificates are always verified.', { type: 'url', placeholder: 'ldaps://ldap.example.com:636' })}
        <div className="checkbox-field">
          <label>
            <input type="checkbox" name="startTls" defaultChecked={initial.startTls} {...fieldAria('startTls', undefined, errorsOf('startTls'))} /> Use
            StartTLS (encrypts an ldap:// connection before binding)
          </label>
          {errorsOf('startTls')?.length ? (
            <p className="error" id="field-startTls-error">
              {errorsOf('startTls')!.join(' ')}
            </p>
          ) : null}
        </div>
        {field(
          'caPem',
          'CA certificate (PEM, optional)',
          <textarea
            name="caPem"
            rows={5}
            defaultValue={initial.caPem ?? ''}
            spellCheck={false}
            {...fieldAria('caPem', 'For a directory whose certificate is signed by your own CA. Leave empty to trust the usual public CAs.', errorsOf('caPem'))}
          />,
          'For a directory whose certificate is signed by your own CA. Leave empty to trust the usual public CAs.',
        )}
        {number('connectTimeoutSeconds', 'Connect timeout (seconds)', initial.connectTimeoutSeconds, 'Default 10 seconds.', 1, 300)}
        {number('operationTimeoutSeconds', 'Operation timeout (seconds)', initial.operationTimeoutSeconds, 'For the bind and each page of results. Default 60 seconds.', 1, 3600)}
      </fieldset>

      <fieldset className="field">
        <legend>Bind account</legend>
        {text('bindDn', 'Bind DN', initial.bindDn, 'The service account that reads users, for example cn=onramp,ou=services,dc=example,dc=com. Leave empty for an anonymous bind.')}
        {field(
          'bindPassword',
          'Bind password',
          <input
            type="password"
            name="bindPassword"
            autoComplete="new-password"
            {...fieldAria(
              'bindPassword',
              initial.bindPasswordSet ? 'A password is saved; leave empty to keep it. It is stored encrypted and never shown.' : 'Stored encrypted and never shown back.',
              errorsOf('bindPassword'),
            )}
          />,
          initial.bindPasswordSet ? 'A password is saved; leave empty to keep it. It is stored encrypted and never shown.' : 'Stored encrypted and never shown back.',
        )}
        {initial.bindPasswordSet ? (
          <label>
            <input type="checkbox" name="clearBindPassword" /> Remove the saved password (for an anonymous bind, with an empty bind DN)
          </label>
        ) : null}
      </fieldset>

      <fieldset className="field">
        <legend>Users to import</legend>
        {text('baseDn', 'Base DN', initial.baseDn, 'Users are searched under this entry, for example ou=people,dc=example,dc=com.')}
        {text('userFilter', 'User filter', initial.userFilter, 'An LDAP filter; default (objectClass=inetOrgPerson). It is checked when you save.')}
        {text('groupDn', 'Group DN (optional)', initial.groupDn, 'Import only the members of this group. Leave empty to import every user the filter finds.')}
      </fieldset>

      <fieldset className="field">
        <legend>Attribute mapping</legend>
        <div className="actions-row" role="group" aria-label="Presets">
          <span>Fill in the filter and mapping for:</span>
          <button type="button" className="button secondary" onClick={() => applyPreset('openldap')}>
            OpenLDAP preset
          </button>
          <button type="button" className="button secondary" onClick={() => applyPreset('activeDirectory')}>
            Active Directory preset
          </button>
        </div>
        <div role="status" className="preset-status">
          {presetNote ? <p>{presetNote}</p> : null}
        </div>
        {text('idAttribute', 'Unique id attribute', initial.idAttribute, 'Never changes for a user, even when renamed: entryUUID (OpenLDAP) or objectGUID (Active Directory).')}
        {text('usernameAttribute', 'Username attribute', initial.usernameAttribute, 'uid (OpenLDAP) or sAMAccountName (Active Directory).')}
        {text('emailAttribute', 'Email attribute', initial.emailAttribute)}
        {text('firstNameAttribute', 'First name attribute', initial.firstNameAttribute)}
        {text('lastNameAttribute', 'Last name attribute', initial.lastNameAttribute)}
        {text(
          'phoneAttributes',
          'Phone attributes, in order',
          initial.phoneAttributes.join(', '),
          'Comma-separated, for example "mobile, telephoneNumber": the first attribute a user has gives their number for SMS codes.',
        )}
        {field(
          'defaultRegion',
          'Default country for numbers without a country code',
          <select name="defaultRegion" defaultValue={initial.defaultRegion ?? ''} {...fieldAria('defaultRegion', REGION_HINT, errorsOf('defaultRegion'))}>
            <option value="">None</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>,
          REGION_HINT,
        )}
      </fieldset>

      <fieldset className="field">
        <legend>Schedule and safety</legend>
        {field(
          'scheduleMinutes',
          'Automatic sync',
          <select name="scheduleMinutes" defaultValue={initial.scheduleMinutes ?? ''} {...fieldAria('scheduleMinutes', 'Off: syncs run only when an admin clicks Sync Now.', errorsOf('scheduleMinutes'))}>
            <option value="">Off</option>
            {scheduleChoices(initial.scheduleMinutes).map(([minutes, label]) => (
              <option key={minutes} value={minutes}>
                {label}
              </option>
            ))}
          </select>,
          'Off: syncs run only when an admin clicks Sync Now.',
        )}
        {number('pageSize', 'Page size', initial.pageSize, 'Entries per page of the paged search (at most the server’s limit). Default 500.', 1, 5000)}
        {number(
          'disableThresholdPercent',
          'Safety limit for disabling (%)',
          initial.disableThresholdPercent,
          'If a run would disable more than this share of the directory users, it stops before changing anything and waits for an admin to apply it anyway. Default 10 %.',
          0,
          100,
        )}
      </fieldset>

      <SaveOrTestButtons pending={pending} intent={intent} testLabel="Test connection" />
      <ConnectionTestReport pending={pending && intent === 'test'} result={state?.intent === 'test' ? state.result : undefined} />
    </form>
  );
}

const REGION_HINT =
  'A number stored without + and a country code (for example 07400 123456) is read as a number of this country and marked “country assumed”. With None, such numbers are kept as they are and marked “missing country code — SMS will fail”.';
