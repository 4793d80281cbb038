'use client';

import { useActionState, useState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import type { ActionResult } from '@/lib/actions/result';
import type { AccountSettings } from '@/lib/settings';

type Values = Pick<
  AccountSettings,
  'provisioningMethod' | 'inviteManualUsers' | 'inviteDirectoryUsers' | 'notifyDisabledUsers' | 'invitationLifetimeDays' | 'codeLifetimeValue' | 'codeLifetimeUnit'
>;

function Errors({ state, name }: { state?: ActionResult; name: string }) {
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  return errors?.length ? (
    <p className="error" id={`${name}-error`}>
      {errors.join(' ')}
    </p>
  ) : null;
}

export function ProvisioningForm({
  action,
  initial,
}: {
  action: (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;
  initial: Values;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const echoed = state && !state.ok ? state.values : undefined;
  const [method, setMethod] = useState<Values['provisioningMethod']>(
    (echoed?.provisioningMethod as Values['provisioningMethod'] | undefined) ?? initial.provisioningMethod,
  );
  const invalid = (name: string) => (state && !state.ok && state.fieldErrors?.[name]?.length ? true : undefined);
  return (
    <form action={formAction} className="stack card" noValidate>
      <FormMessage state={state} />
      {/* Uncontrolled radios whose default follows the choice: React resets the form after each save, and the reset then keeps the choice. */}
      <fieldset className="field" aria-describedby={invalid('provisioningMethod') ? 'provisioningMethod-error' : undefined}>
        <legend>How new users get access</legend>
        <label>
          <input type="radio" name="provisioningMethod" value="invitation" defaultChecked={method === 'invitation'} onChange={() => setMethod('invitation')} />{' '}
          Invitation Email — the user activates their account in the portal and sets a password
        </label>
        <label>
          <input
            type="radio"
            name="provisioningMethod"
            value="registration_code"
            defaultChecked={method === 'registration_code'}
            onChange={() => setMethod('registration_code')}
          />{' '}
          Registration Code — a VPN client redeems a one-time code to register one device
        </label>
        <Errors state={state} name="provisioningMethod" />
      </fieldset>

      <fieldset className="field" hidden={method !== 'invitation'}>
        <legend>Invitation emails</legend>
        <label>
          <input type="checkbox" name="inviteManualUsers" defaultChecked={initial.inviteManualUsers} /> Send invitations to new users created in the admin console
        </label>
        <label>
          <input type="checkbox" name="inviteDirectoryUsers" defaultChecked={initial.inviteDirectoryUsers} /> Send invitations to new users imported by
          Directory Services
        </label>
        <label>
          <input type="checkbox" name="notifyDisabledUsers" defaultChecked={initial.notifyDisabledUsers} /> Send email notifications to users that are
          disabled
        </label>
        <div className="field">
          <label htmlFor="invitationLifetimeDays">Invitation links expire after (days)</label>
          <input
            id="invitationLifetimeDays"
            name="invitationLifetimeDays"
            type="number"
            min={1}
            max={30}
            defaultValue={echoed?.invitationLifetimeDays ?? initial.invitationLifetimeDays}
            aria-invalid={invalid('invitationLifetimeDays')}
            aria-describedby={invalid('invitationLifetimeDays') ? 'invitationLifetimeDays-error' : undefined}
          />
          <Errors state={state} name="invitationLifetimeDays" />
        </div>
        <div className="alert info" role="note">
          If your users sign in with single sign-on (SSO), turn invitation emails off: they activate by signing in with your identity
          provider, and an invitation would ask them to set a password they should not need.
        </div>
      </fieldset>
      {/* Hidden fieldsets still submit their fields, so every setting is saved whichever method is shown. */}

      <fieldset className="field" hidden={method !== 'registration_code'}>
        <legend>Registration codes</legend>
        <div className="field">
          <label htmlFor="codeLifetimeValue">Registration code expires after</label>
          <span className="hint" id="codeLifetimeValue-hint">
            At most 7 days.
          </span>
          <span className="inline-action">
            <input
              id="codeLifetimeValue"
              name="codeLifetimeValue"
              type="number"
              min={1}
              max={168}
              style={{ maxWidth: '8rem' }}
              defaultValue={echoed?.codeLifetimeValue ?? initial.codeLifetimeValue}
              aria-invalid={invalid('codeLifetimeValue')}
              aria-describedby={`codeLifetimeValue-hint${invalid('codeLifetimeValue') ? ' codeLifetimeValue-error' : ''}`}
            />
            <select name="codeLifetimeUnit" aria-label="Unit" defaultValue={echoed?.codeLifetimeUnit ?? initial.codeLifetimeUnit} style={{ maxWidth: '8rem' }}>
              <option value="hours">hours</option>
              <option value="days">days</option>
            </select>
          </span>
          <Errors state={state} name="codeLifetimeValue" />
        </div>
      </fieldset>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
