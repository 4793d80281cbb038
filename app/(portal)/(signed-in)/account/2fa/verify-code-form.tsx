'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { sendCodeAction, verifyCodeAction } from './actions';
import { twoFactorPath, type Flow } from './schemas';
import { StepActions } from './step-actions';

/** The code from the text message, and "Send a new code" (the 30-second cooldown is enforced by lib/mfa). */
export function VerifyCodeForm({ flow, phone, submitLabel }: { flow: Flow; phone?: string; submitLabel: string }) {
  const [state, formAction, pending] = useActionState(verifyCodeAction, undefined);
  const [resent, resendAction, resending] = useActionState(sendCodeAction, undefined);
  return (
    <>
      <form action={formAction} className="stack" noValidate>
        <FormMessage state={state} />
        <input type="hidden" name="flow" value={flow} />
        {phone ? <input type="hidden" name="phone" value={phone} /> : null}
        <TextField
          name="code"
          label="Code from the text message"
          hint="6 digits. The code expires 10 minutes after it was sent."
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          required
          autoFocus
          state={state}
        />
        <StepActions pending={pending} label={submitLabel} pendingLabel="Checking…" />
      </form>
      <form action={resendAction} className="resend-code">
        <input type="hidden" name="flow" value={flow} />
        {phone ? <input type="hidden" name="phone" value={phone} /> : null}
        <input type="hidden" name="resend" value="1" />
        <p>
          No text message?{' '}
          <button className="link-button" type="submit" disabled={resending}>
            Send a new code
          </button>{' '}
          or <a href={twoFactorPath({ flow, step: 'number', phone })}>use another number</a>.
        </p>
        <div role="status" className={resent ? `alert ${resent.ok ? 'success' : 'error'}` : undefined}>
          {resent ? (resent.ok ? resent.message : resent.formError) : null}
        </div>
      </form>
    </>
  );
}
