import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { requirePendingUser } from '@/lib/auth';
import { getChallengeStatus } from '@/lib/mfa';
import { safeNextPath } from '@/lib/auth/schemas';
import { setupPathFor, verifyPathFor } from '@/lib/auth/verify-paths';
import { getMfaFactor, getPhoneOnFile } from '@/lib/mfa';
import { getAccountSettings } from '@/lib/settings';
import { resendCodeAction, sendEnrolCodeAction, verifyCodeAction } from '../actions';
import { CodeForm } from '../code-form';
import { ResendForm } from '../resend-form';
import { VerifyCard } from '../verify-card';
import { PhoneForm } from './phone-form';

export const metadata: Metadata = { title: 'Set up text message codes' };

/**
 * Enrolment at sign-in: the number (country picker, or the directory's number read-only), then the
 * code sent to it. Which step shows follows this session's enrolment code, so a refresh keeps it.
 */
export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const rawNext = typeof params.next === 'string' ? params.next : undefined;
  const user = await requirePendingUser(rawNext);
  const next = safeNextPath('user', rawNext) === '/' ? undefined : safeNextPath('user', rawNext);
  const [settings, factor, onFile, status] = await Promise.all([
    getAccountSettings(),
    getMfaFactor(user.id),
    getPhoneOnFile(user.id),
    getChallengeStatus(user.sessionId, 'enrol'),
  ]);
  if (factor.state !== 'none') redirect(verifyPathFor(next));
  const org = settings.organisationName;

  const codeStep = params.step !== 'number' && (status.state === 'open' || status.state === 'exhausted' || status.state === 'expired');
  if (codeStep) {
    return (
      <VerifyCard organisationName={org} title="Enter your verification code">
        {status.state === 'open' ? (
          <p>We sent a code to {status.maskedPhone}. It is valid for 10 minutes.</p>
        ) : (
          <div className="alert warn">
            {status.state === 'expired' ? 'The last code has expired.' : 'The last code was entered wrongly too many times.'} Send a new code to {status.maskedPhone}.
          </div>
        )}
        {status.state === 'open' ? (
          <CodeForm key={`code-${status.sentAt}`} action={verifyCodeAction} purpose="enrol" next={next} rememberDays={settings.mfaRememberDays} />
        ) : null}
        <ResendForm
          key={`resend-${status.sentAt}`}
          action={resendCodeAction}
          purpose="enrol"
          next={next}
          resendInSeconds={status.resendInSeconds}
          label="Resend code"
        />
        {onFile.fromDirectory ? null : (
          <p>
            <a href={setupPathFor(next, 'number')}>Use a different number</a>
          </p>
        )}
      </VerifyCard>
    );
  }

  return (
    <VerifyCard organisationName={org} title="Set up text message codes">
      {onFile.fromDirectory ? (
        <>
          <dl className="facts">
            <dt>Mobile number</dt>
            <dd>{onFile.e164 ?? onFile.raw ?? 'None on file'}</dd>
          </dl>
          <p className="muted">This number comes from your organisation’s directory. Ask your administrator to correct it in the directory.</p>
          {onFile.problem ? (
            <div className="alert error" role="alert">
              This number can’t receive verification codes: {onFile.problem}
            </div>
          ) : (
            <PhoneForm action={sendEnrolCodeAction} next={next} defaultCountry={settings.defaultPhoneCountry} editable={false} />
          )}
        </>
      ) : (
        <>
          {onFile.problem && (onFile.e164 || onFile.raw) ? (
            <div className="alert info">
              The number on file ({onFile.e164 ?? onFile.raw}) can’t receive verification codes: {onFile.problem} Enter a mobile number below.
            </div>
          ) : null}
          <PhoneForm
            action={sendEnrolCodeAction}
            next={next}
            defaultValue={onFile.problem ? null : onFile.e164}
            defaultCountry={settings.defaultPhoneCountry}
            editable
          />
        </>
      )}
    </VerifyCard>
  );
}
