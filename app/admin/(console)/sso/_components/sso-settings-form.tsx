'use client';

import type { ReactNode } from 'react';
import { FieldFrame, FormMessage, fieldAria } from '@/app/_components/form-fields';
import { SaveOrTestButtons } from '@/app/_components/save-or-test-buttons';
import { useSaveOrTest, type FormAction } from '@/app/_components/use-save-or-test';
// Types only from lib/sso (erased at build).
import type { SsoSettingsDto, SsoTestResult } from '@/lib/sso';


/** The single sign-on settings; Test sends the same fields to its own action without saving them. */
export function SsoSettingsForm({ initial, callbackUrl, saveAction, testAction }: { initial: SsoSettingsDto; callbackUrl: string; saveAction: FormAction; testAction: FormAction<SsoTestResult> }) {
  // The stored secret is never shown back: empty the field once it is saved.
  const { formRef, intent, state, pending, submit } = useSaveOrTest(saveAction, testAction, (form) => {
    const secret = form.elements.namedItem('clientSecret') as HTMLInputElement | null;
    if (secret) secret.value = '';
  });

  const result = state?.result;
  const errorsOf = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined);
  const text = (name: string, label: string, defaultValue: string, hint?: string, extra: Record<string, unknown> = {}): ReactNode => (
    <FieldFrame name={name} label={label} hint={hint} errors={errorsOf(name)}>
      <input type="text" name={name} defaultValue={defaultValue} {...fieldAria(name, hint, errorsOf(name))} spellCheck={false} autoComplete="off" {...extra} />
    </FieldFrame>
  );
  const checkbox = (name: string, label: string, checked: boolean, hint: string) => (
    <div className="checkbox-field">
      <label>
        <input type="checkbox" name={name} defaultChecked={checked} {...fieldAria(name, hint, errorsOf(name))} /> {label}
      </label>
      <span className="hint" id={`field-${name}-hint`}>
        {hint}
      </span>
    </div>
  );
  const test = state?.intent === 'test' && state.result.ok ? state.result.data : undefined;

  return (
    <form ref={formRef} onSubmit={submit} className="stack card" noValidate aria-label="Single sign-on settings">
      {state && (state.intent === 'save' || !state.result.ok) ? <FormMessage state={state.result} /> : null}
      <fieldset className="field">
        <legend>Identity provider (OpenID Connect)</legend>
        {text('providerName', 'Provider name', initial.providerName, 'Shown on the sign-in button: “Sign in with <name>”.')}
        {text('issuerUrl', 'Issuer URL', initial.issuerUrl, 'Its discovery document is read from <issuer>/.well-known/openid-configuration. https:// only (http:// for a test provider on this machine).', {
          type: 'url',
          placeholder: 'https://login.example.com/realms/staff',
        })}
        {text('clientId', 'Client id', initial.clientId, `Register Onramp at the provider as a confidential web client with the redirect URI ${callbackUrl}.`)}
        <FieldFrame
          name="clientSecret"
          label="Client secret"
          hint={initial.clientSecretSet ? 'A secret is stored (encrypted). Leave empty to keep it; type a new one to replace it.' : 'Stored encrypted; never shown again.'}
          errors={errorsOf('clientSecret')}
        >
          <input
            type="password"
            name="clientSecret"
            autoComplete="new-password"
            {...fieldAria('clientSecret', initial.clientSecretSet ? 'A secret is stored (encrypted). Leave empty to keep it; type a new one to replace it.' : 'Stored encrypted; never shown again.', errorsOf('clientSecret'))}
          />
        </FieldFrame>
        {text('scopes', 'Scopes', initial.scopes, 'Separated by spaces; must include openid.')}
        {text('emailClaim', 'Claim with the email address', initial.emailClaim, 'Users are matched by this claim, ignoring case. Default: email.')}
        {text('usernameClaim', 'Claim with the username', initial.usernameClaim, 'Used when a user is created on first sign-in. Default: preferred_username.')}
      </fieldset>
      <fieldset className="field">
        <legend>Sign-in</legend>
        {checkbox('enabled', 'Single sign-on is on', initial.enabled, 'Switching on checks the provider first (discovery document, PKCE with S256) and needs the client secret.')}
        {checkbox('allowPasswordSignIn', 'Users may also sign in with a password', initial.allowPasswordSignIn, 'Off: the sign-in page offers only the single sign-on button to users. Admins always sign in with their password.')}
        {checkbox('createUsers', 'Create users on their first single sign-on', initial.createUsers, 'Off (recommended): only users that already exist in Onramp may sign in; others are refused.')}
        {checkbox('requireSmsMfa', 'Ask for the SMS code after single sign-on', initial.requireSmsMfa, 'Off: the identity provider does two-factor authentication. On: users who must use SMS codes enter one after single sign-on too.')}
      </fieldset>
      <SaveOrTestButtons pending={pending} intent={intent} testLabel="Test provider" />
      <section aria-labelledby="sso-test-heading">
        <h2 id="sso-test-heading">Provider test</h2>
        <div role="status">
          {pending && intent === 'test' ? (
            <p>Reading the discovery document…</p>
          ) : test ? (
            <p className={`alert ${test.ok ? 'success' : 'error'}`}>{test.message}</p>
          ) : state?.intent === 'test' && !state.result.ok ? (
            <p className="alert error">Correct the highlighted fields, then test again.</p>
          ) : (
            <p className="muted">Test provider reads the discovery document of the issuer above (without saving) and shows what it announces.</p>
          )}
        </div>
        {test?.warnings.length ? (
          <ul>
            {test.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        {test?.found ? (
          <dl className="details-list">
            {test.found.map((f) => (
              <div key={f.label}>
                <dt>{f.label}</dt>
                <dd className="username">{f.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </section>
    </form>
  );
}
