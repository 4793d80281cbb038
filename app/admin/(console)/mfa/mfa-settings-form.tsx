'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import type { ActionResult } from '@/lib/actions/result';
import type { AccountSettings } from '@/lib/settings';
import { CountryAllowList, type CountryOption } from './country-allow-list';

type Values = Pick<AccountSettings, 'mfaPolicy' | 'mfaRememberDays' | 'smsAllowedCountries' | 'smsSendsPerIpPerHour' | 'mfaFailuresPerIpPerHour'>;

export function MfaSettingsForm({
  action,
  initial,
  countries,
}: {
  action: (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;
  initial: Values;
  countries: CountryOption[];
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const echoed = state && !state.ok ? state.values : undefined;
  const errors = (name: string) => (state && !state.ok ? state.fieldErrors?.[name] : undefined);
  const policy = echoed?.mfaPolicy ?? initial.mfaPolicy;
  const policyErrors = errors('mfaPolicy');
  return (
    <form action={formAction} className="stack card" noValidate>
      <FormMessage state={state} />
      {/* key: after a save React resets the form; the radios then start from the saved (or echoed) choice. */}
      <fieldset className="field" key={`policy-${policy}`} aria-describedby={policyErrors?.length ? 'mfaPolicy-error' : undefined}>
        <legend>Two-factor policy</legend>
        <label>
          <input type="radio" name="mfaPolicy" value="off" defaultChecked={policy === 'off'} /> Off — only users whose account says “required” use a
          code
        </label>
        <label>
          <input type="radio" name="mfaPolicy" value="sms_required" defaultChecked={policy === 'sms_required'} /> SMS required for all users — except
          users marked exempt
        </label>
        {policyErrors?.length ? (
          <p className="error" id="mfaPolicy-error">
            {policyErrors.join(' ')}
          </p>
        ) : null}
      </fieldset>
      <TextField
        name="mfaRememberDays"
        label="Remember this device for (days)"
        hint="After a correct code, the browser skips the code for this many days. 0 means never; at most 30."
        type="number"
        inputMode="numeric"
        min={0}
        max={30}
        defaultValue={String(initial.mfaRememberDays)}
        state={state}
        style={{ maxWidth: '8rem' }}
      />
      <CountryAllowList name="smsAllowedCountries" countries={countries} initial={initial.smsAllowedCountries} errors={errors('smsAllowedCountries')} />
      <fieldset className="field">
        <legend>Limits per IP address</legend>
        <TextField
          name="smsSendsPerIpPerHour"
          label="SMS codes sent per hour"
          hint="From 1 to 10,000. Each number also gets at most 5 codes an hour, and each user 10 a day."
          type="number"
          inputMode="numeric"
          min={1}
          max={10000}
          defaultValue={String(initial.smsSendsPerIpPerHour)}
          state={state}
          style={{ maxWidth: '8rem' }}
        />
        <TextField
          name="mfaFailuresPerIpPerHour"
          label="Wrong codes per hour"
          hint="From 1 to 10,000."
          type="number"
          inputMode="numeric"
          min={1}
          max={10000}
          defaultValue={String(initial.mfaFailuresPerIpPerHour)}
          state={state}
          style={{ maxWidth: '8rem' }}
        />
      </fieldset>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
