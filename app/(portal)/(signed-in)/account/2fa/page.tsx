import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { isRecentlyReauthenticated, requireUser, type UserPrincipal } from '@/lib/auth';
import { getMfaFactor, getMfaRequirement, getPhoneOnFile, listTrustedBrowsers, TRUSTED_BROWSER_COOKIE } from '@/lib/mfa';
import { getAccountSettings } from '@/lib/settings';
import { isSsoReauthFailure } from '@/lib/sso';
import { ChangeFlow } from './change-flow';
import { RemoveFlow } from './remove-flow';
import { FLOWS, NOTICES, STEPS, stepAfterReauthentication, twoFactorPath, type Flow, type Notice, type Step } from './schemas';
import { SetupFlow } from './setup-flow';
import { TwoFactorOverview } from './two-factor-overview';

export const metadata: Metadata = { title: '2FA settings' };

type Search = Record<string, string | string[] | undefined>;

function pick<T extends string>(value: string | string[] | undefined, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A number carried in the URL between steps (only ever E.164). */
function phoneParam(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && /^\+[0-9]{4,20}$/.test(value) ? value : undefined;
}

/**
 * The step of a flow to show. Every step after the password needs a re-authentication in this session
 * within 10 minutes, else back to the password with a message. With no step in the URL: the password,
 * or (setup, remove) straight on when the session confirmed it recently; a change always starts there.
 */
async function stepToShow(user: UserPrincipal, flow: Flow, step: Step | undefined, phone?: string): Promise<Step> {
  const fresh = await isRecentlyReauthenticated(user);
  if (step && step !== 'password' && !fresh) redirect(twoFactorPath({ flow, step: 'password', phone, reason: 'reauth-expired' }));
  return step ?? (fresh && flow !== 'change' ? stepAfterReauthentication(flow) : 'password');
}

/** /account/2fa: the overview, or the change / setup / remove flow with its step in the URL (?flow=change&step=number). */
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const params = await searchParams;
  const flow = pick<Flow>(params.flow, FLOWS);
  const step = pick<Step>(params.step, STEPS);
  const phone = phoneParam(params.phone);
  const [factor, onFile, settings] = await Promise.all([getMfaFactor(user.id), getPhoneOnFile(user.id), getAccountSettings()]);

  const reason = typeof params.reason === 'string' ? params.reason : undefined;
  const ssoError = isSsoReauthFailure(params.sso_error) ? params.sso_error : undefined;
  if (flow === 'change' && factor.state === 'verified') {
    return (
      <ChangeFlow
        user={user}
        step={await stepToShow(user, flow, step, phone)}
        phone={phone}
        reason={reason}
        ssoError={ssoError}
        onFile={onFile}
        defaultCountry={settings.defaultPhoneCountry}
      />
    );
  }
  if (flow === 'setup' && factor.state === 'none') {
    return (
      <SetupFlow
        user={user}
        step={await stepToShow(user, flow, step, phone)}
        phone={phone}
        reason={reason}
        ssoError={ssoError}
        factor={factor}
        onFile={onFile}
        defaultCountry={settings.defaultPhoneCountry}
      />
    );
  }
  const [requirement, token] = await Promise.all([getMfaRequirement(user.id), cookies().then((jar) => jar.get(TRUSTED_BROWSER_COOKIE)?.value)]);
  if (flow === 'remove' && factor.state === 'verified' && !requirement.required) {
    return <RemoveFlow user={user} step={await stepToShow(user, flow, step)} reason={reason} ssoError={ssoError} />;
  }

  const browsers = await listTrustedBrowsers(user.id, token);
  return (
    <TwoFactorOverview
      factor={factor}
      requirement={requirement}
      onFile={onFile}
      browsers={browsers}
      notice={pick<Notice>(params.notice, Object.keys(NOTICES) as Notice[])}
    />
  );
}
