'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { PLATFORM_LABELS } from '@/lib/devices/schemas';
import { registerDeviceAction } from './actions';
import { RegisteredDevice } from './registered-device';

const PLATFORM_OPTIONS = Object.entries(PLATFORM_LABELS);

/** Code, device name and platform; on success the form gives way to the credential, shown this once. */
export function RegisterDeviceForm({ code }: { code?: string }) {
  const [state, formAction, pending] = useActionState(registerDeviceAction, undefined);
  if (state?.ok && state.data) return <RegisteredDevice device={state.data} />;

  const platformErrors = state && !state.ok ? state.fieldErrors?.platform : undefined;
  const platform = (state && !state.ok ? state.values?.platform : undefined) ?? '';
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField
        name="code"
        label="Registration code"
        hint="Letters and digits, like ABCD-EFGH-JKMN. Case and dashes don’t matter."
        type="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        required
        defaultValue={code}
        state={state}
      />
      <TextField
        name="deviceName"
        label="Device name"
        hint="A name you will recognise in your device list, like “Work laptop”."
        type="text"
        autoComplete="off"
        maxLength={100}
        required
        state={state}
      />
      <div className="field">
        <label htmlFor="field-platform">Platform</label>
        <select
          id="field-platform"
          name="platform"
          required
          defaultValue={platform}
          key={platform}
          aria-invalid={platformErrors?.length ? true : undefined}
          aria-describedby={platformErrors?.length ? 'field-platform-error' : undefined}
        >
          <option value="" disabled>
            Choose…
          </option>
          {PLATFORM_OPTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {platformErrors?.length ? (
          <p className="error" id="field-platform-error">
            {platformErrors.join(' ')}
          </p>
        ) : null}
      </div>
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Registering…' : 'Register device'}
      </button>
    </form>
  );
}
