import Link from 'next/link';
import { getAdminMfaState, getMfaRequirement, listOtherUsersWithNumber, listUserSmsMessages, type MfaRequirement } from '@/lib/mfa';
import type { UserDetail } from '@/lib/users';
import { SmsLogTable } from '../../sms/_components/sms-words';
import { formatCount, formatMinute } from '../_components/format';
import { resetMfaAction, setMfaOverrideAction, unlockMfaAction } from './mfa-actions';
import { MfaActionButton, MfaOverrideForm } from './mfa-controls';

const REQUIREMENT: Record<MfaRequirement['reason'], string> = {
  policy: 'Required: the policy requires SMS for all users',
  override: 'Required for this user',
  exempt: 'Not required: this user is exempt',
  off: 'Not required: the policy is off',
};

/** The user page's two-factor section: requirement, factor, Reset / Unlock, shared number and the SMS log. */
export async function MfaPanel({ user }: { user: UserDetail }) {
  const [requirement, factor, messages] = await Promise.all([getMfaRequirement(user.id), getAdminMfaState(user.id), listUserSmsMessages(user.id, 20)]);
  const number = factor.phoneE164 ?? user.phoneE164;
  const sharing = number ? await listOtherUsersWithNumber(number, user.id, 10) : { total: 0, users: [] };
  return (
    <section aria-labelledby="mfa-heading" className="mfa-section">
      <h2 id="mfa-heading">Two-factor authentication</h2>
      <div className="card mfa-panel">
        <dl className="facts">
          <dt>Requirement</dt>
          <dd>{REQUIREMENT[requirement.reason]}</dd>
          <dt>Text message number</dt>
          <dd>
            {factor.phoneE164 ? (
              <>
                {factor.phoneE164} <span className="badge success">Verified</span>
              </>
            ) : (
              'Not set up'
            )}
            {factor.state === 'locked' ? <span className="badge failure"> Locked</span> : null}
          </dd>
          <dt>Verified</dt>
          <dd>{factor.verifiedAt ? formatMinute(factor.verifiedAt) : '—'}</dd>
          <dt>Wrong codes in a row</dt>
          <dd>{factor.failureCount}</dd>
          <dt>Locked</dt>
          <dd>{factor.lockedAt ? `Since ${formatMinute(factor.lockedAt)}, after too many wrong codes` : 'No'}</dd>
          <dt>Remembered browsers</dt>
          <dd>{factor.trustedBrowsers}</dd>
          {number && sharing.total > 0 ? (
            <>
              <dt>Shared number</dt>
              <dd>
                Shared with {sharing.total === 1 ? '1 other user' : `${formatCount(sharing.total)} other users`}:{' '}
                {sharing.users.map((u, i) => (
                  <span key={u.id}>
                    {i > 0 ? ', ' : null}
                    <Link href={`/admin/users/${u.id}`}>{u.email}</Link>
                  </span>
                ))}
                {sharing.total > sharing.users.length ? ` and ${formatCount(sharing.total - sharing.users.length)} more` : null}
              </dd>
            </>
          ) : null}
        </dl>
        <MfaOverrideForm action={setMfaOverrideAction} userId={user.id} current={user.mfaOverride} />
        <div className="actions-row">
          {factor.state === 'locked' ? <MfaActionButton action={unlockMfaAction} userId={user.id} label="Unlock" /> : null}
          {factor.state !== 'none' || factor.trustedBrowsers > 0 ? (
            <MfaActionButton
              action={resetMfaAction}
              userId={user.id}
              label="Reset MFA"
              danger
              question="Reset two-factor authentication? The number is removed and remembered browsers are forgotten; the user sets it up again at their next sign-in."
            />
          ) : null}
        </div>
      </div>
      <h3>Text messages</h3>
      <SmsLogTable messages={messages} caption={`The last ${messages.length === 1 ? 'text message' : `${messages.length} text messages`} sent to ${user.email}`} />
    </section>
  );
}
