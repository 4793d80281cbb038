import type { Metadata } from 'next';
import { requirePendingUser } from '@/lib/auth';
import { getChallengeStatus } from '@/lib/mfa';
import { LOCKED_MESSAGE } from '@/lib/auth/mfa-messages';
import { safeNextPath } from '@/lib/auth/schemas';
import { setupPathFor } from '@/lib/auth/verify-paths';
import { getMfaFactor } from '@/lib/mfa';
import { getAccountSettings } from '@/lib/settings';
import { verifyCodeAction, resendCodeAction } from './actions';
import { CodeForm } from './code-form';
import { ResendForm } from './resend-form';
import { VerifyCard } from './verify-card';

export const metadata: Metadata = { title: 'Verify your sign-in' };

/**
 * The second sign-in step. Enrolled users enter the code the sign-in sent (this page never sends on
 * its own, so a refresh sends nothing); users without a factor are asked to set one up.
 */
export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const rawNext = typeof params.next === 'string' ? params.next : undefined;
  const user = await requirePendingUser(rawNext);
  const next = safeNextPath('user', rawNext) === '/' ? undefined : safeNextPath('user', rawNext);
  const [settings, factor] = await Promise.all([getAccountSettings(), getMfaFactor(user.id)]);
  const org = settings.organisationName;

  if (factor.state === 'locked') {
    return (
      <VerifyCard organisationName={org} title="Verification locked">
        <div className="alert error" role="alert">
          {LOCKED_MESSAGE}
        </div>
      </VerifyCard>
    );
  }

  if (factor.state === 'none') {
    return (
      <VerifyCard organisationName={org} title="Extra verification is required for your account">
        <p>Before you continue, set up a second way to prove it’s you. You’ll need it each time you sign in.</p>
        <ul className="method-list" aria-label="Verification methods">
          <li>
            <span className="method-name">Text Message Code</span>
            <a className="button" href={setupPathFor(next)} aria-label="Setup Text Message Code">
              Setup
            </a>
          </li>
        </ul>
      </VerifyCard>
    );
  }

  const status = await getChallengeStatus(user.sessionId, 'sign_in');
  const phone = status.maskedPhone ?? factor.maskedPhone;
  const sent = status.state !== 'none' && status.state !== 'closed';
  return (
    <VerifyCard organisationName={org} title="Enter your verification code">
      {status.state === 'open' ? (
        <p>We sent a code to {phone}. It is valid for 10 minutes.</p>
      ) : status.state === 'exhausted' ? (
        <div className="alert warn">The last code was entered wrongly too many times. Send a new code to {phone}.</div>
      ) : status.state === 'expired' ? (
        <div className="alert warn">The last code has expired. Send a new code to {phone}.</div>
      ) : (
        <p>We will send a code by text message to {phone}.</p>
      )}
      {status.state === 'open' ? (
        <CodeForm key={`code-${status.sentAt}`} action={verifyCodeAction} purpose="sign_in" next={next} rememberDays={settings.mfaRememberDays} />
      ) : null}
      <ResendForm
        key={`resend-${status.sentAt}`}
        action={resendCodeAction}
        purpose="sign_in"
        next={next}
        resendInSeconds={status.resendInSeconds}
        label={sent ? 'Resend code' : 'Send code'}
      />
    </VerifyCard>
  );
}
