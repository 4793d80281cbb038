import type { UserPrincipal } from '@/lib/auth';
import type { MfaFactorView, PhoneOnFile } from '@/lib/mfa';
import { maskPhone } from '@/lib/phone';
import { getReauthenticationMethod, type SsoReauthFailure } from '@/lib/sso';
import { NEW_NUMBER_HINT } from './change-flow';
import { ConfirmIdentityStep } from './confirm-identity-step';
import { DirectoryNumber } from './directory-number';
import { twoFactorPath, type Step } from './schemas';
import { SendCodeForm } from './send-code-form';
import { VerifyCodeForm } from './verify-code-form';

/**
 * Set up (no factor): 1) the password again (or the identity provider's sign-in) — binding a phone is
 * binding an authenticator; the page chooses the step (stepToShow); 2) the
 * number — empty means the previously verified number, shown masked; a directory user's number comes
 * from the directory — 3) the code sent to it.
 */
export async function SetupFlow({
  user,
  step,
  phone,
  reason,
  ssoError,
  factor,
  onFile,
  defaultCountry,
}: {
  user: UserPrincipal;
  step: Step;
  phone?: string;
  reason?: string;
  ssoError?: SsoReauthFailure;
  factor: MfaFactorView;
  onFile: PhoneOnFile;
  defaultCountry: string;
}) {
  const previous = factor.maskedPreviousPhone;
  const sentTo = phone ? maskPhone(phone) : (previous ?? (onFile.e164 ? maskPhone(onFile.e164) : 'your number'));
  return (
    <div className="narrow">
      <p>
        <a href={twoFactorPath()}>Back to 2FA settings</a>
      </p>
      <h1>Set up two-factor authentication</h1>
      {step === 'password' ? (
        <ConfirmIdentityStep user={user} flow="setup" method={await getReauthenticationMethod(user.id)} phone={phone} reason={reason} ssoError={ssoError} />
      ) : step === 'code' ? (
        <>
          <h2>Step 3 of 3: Enter the code</h2>
          <p role="status">We sent a 6-digit code to {sentTo}. Enter it to turn on two-factor authentication.</p>
          <VerifyCodeForm flow="setup" phone={phone} submitLabel="Turn on" />
        </>
      ) : (
        <>
          <h2>Step 2 of 3: Your mobile number</h2>
          <p>
            When you sign in, we will send a code to this number by text message (<strong>Text Message Code</strong>). First we send one to check
            it.
          </p>
          {onFile.fromDirectory ? (
            <>
              <DirectoryNumber phone={onFile} headingLevel={3} />
              {onFile.problem ? null : <SendCodeForm flow="setup" directory label="Mobile number" hint="" />}
            </>
          ) : (
            <SendCodeForm
              flow="setup"
              label="Mobile number"
              hint={previous ? `Leave empty to use ${previous}. To use another number, ${NEW_NUMBER_HINT.toLowerCase()}` : NEW_NUMBER_HINT}
              defaultPhone={phone ?? (previous ? undefined : (onFile.e164 ?? undefined))}
              defaultCountry={defaultCountry}
            />
          )}
        </>
      )}
    </div>
  );
}
