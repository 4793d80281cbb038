import type { UserPrincipal } from '@/lib/auth';
import type { PhoneOnFile } from '@/lib/mfa';
import { maskPhone } from '@/lib/phone';
import { getReauthenticationMethod, type SsoReauthFailure } from '@/lib/sso';
import { ConfirmIdentityStep } from './confirm-identity-step';
import { DirectoryNumber } from './directory-number';
import { twoFactorPath, type Step } from './schemas';
import { SendCodeForm } from './send-code-form';
import { VerifyCodeForm } from './verify-code-form';

export const NEW_NUMBER_HINT = 'Choose the country in the list (its calling code fills in), then type the number.';

/**
 * Change Settings: 1) the password again (or the identity provider's sign-in), 2) the new number, 3) the code sent to it
 * (the page chooses the step: stepToShow).
 */
export async function ChangeFlow({
  user,
  step,
  phone,
  reason,
  onFile,
  defaultCountry,
  ssoError,
}: {
  user: UserPrincipal;
  step: Step;
  phone?: string;
  reason?: string;
  ssoError?: SsoReauthFailure;
  onFile: PhoneOnFile;
  defaultCountry: string;
}) {
  return (
    <div className="narrow">
      <p>
        <a href={twoFactorPath()}>Back to 2FA settings</a>
      </p>
      <h1>Change your 2FA phone number</h1>
      {step === 'password' ? (
        <ConfirmIdentityStep user={user} flow="change" method={await getReauthenticationMethod(user.id)} phone={phone} reason={reason} ssoError={ssoError} />
      ) : step === 'number' ? (
        <>
          <h2>Step 2 of 3: Your new mobile number</h2>
          {onFile.fromDirectory ? (
            <>
              <DirectoryNumber phone={onFile} headingLevel={3} />
              {onFile.problem ? null : <SendCodeForm flow="change" directory label="Mobile number" hint="" />}
            </>
          ) : (
            <>
              <p>We will send a code to the new number to check it can receive text messages.</p>
              <SendCodeForm flow="change" label="New mobile number" hint={NEW_NUMBER_HINT} defaultPhone={phone} defaultCountry={defaultCountry} />
            </>
          )}
        </>
      ) : (
        <>
          <h2>Step 3 of 3: Enter the code</h2>
          <p role="status">
            We sent a 6-digit code to {phone ? maskPhone(phone) : 'your new number'}. Enter it to replace your number; your previous number gets a
            notice.
          </p>
          <VerifyCodeForm flow="change" phone={phone} submitLabel="Change number" />
        </>
      )}
    </div>
  );
}
