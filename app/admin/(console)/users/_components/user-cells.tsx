import Link from 'next/link';
import { Fragment } from 'react';
import type { UserRowDto } from '@/lib/users/list-users';
import { formatCount, formatDay, formatMinute } from './format';

type PhoneStatus = UserRowDto['phoneStatus'];

/** What is wrong with a number, in the words an admin would use. */
const PHONE_PROBLEMS: Record<Exclude<PhoneStatus, 'ok'>, { badge: string; title: string }> = {
  country_assumed: { badge: 'Country assumed', title: 'country assumed: the number had no country code, so the default country was used' },
  missing_country_code: { badge: 'No country code', title: 'missing country code: add the country code so SMS can reach this number' },
  invalid: { badge: 'Invalid number', title: 'invalid: this is not a phone number SMS can reach' },
  missing: { badge: 'No number', title: 'missing: there is no phone number for SMS' },
};

const STATUS_LABELS: Record<UserRowDto['status'], string> = { invited: 'Invited', active: 'Active', disabled: 'Disabled' };
const MFA_LABELS: Record<UserRowDto['mfa'], string> = { enrolled: 'Enrolled', not_enrolled: 'Not enrolled', locked: 'Locked' };

export function userDisplayName(user: Pick<UserRowDto, 'firstName' | 'lastName' | 'username'>): string {
  return `${user.firstName} ${user.lastName}`.trim() || user.username;
}

/** Lets a long value wrap after the given characters first (CSS wraps anywhere only if that is not enough). */
function Breakable({ text, after }: { text: string; after: RegExp }) {
  const parts = text.split(after);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}

function PhoneCell({ user }: { user: UserRowDto }) {
  if (user.phoneStatus === 'ok') return <span className="nowrap">{user.phoneE164}</span>;
  const problem = PHONE_PROBLEMS[user.phoneStatus];
  return (
    <span className="phone-cell">
      {user.phoneE164 ? <span className="nowrap">{user.phoneE164}</span> : null}
      <span className={`badge ${user.phoneStatus === 'country_assumed' ? 'notice' : 'problem'}`} title={problem.title}>
        {problem.badge}
      </span>
    </span>
  );
}

/** The cells of one row after the checkbox (rendered on the server, handed to the selectable table). */
export function UserCells({ user }: { user: UserRowDto }) {
  return (
    <>
      <td>
        <Link href={`/admin/users/${user.id}`}>{userDisplayName(user)}</Link>
      </td>
      <td className="email">
        <Breakable text={user.email} after={/(?<=@)/} />
      </td>
      <td className="username">
        <Breakable text={user.username} after={/(?<=[@._-])/} />
      </td>
      <td>{user.source === 'directory' ? 'Directory' : 'Manual'}</td>
      <td>
        <span className={`badge status-${user.status}`}>{STATUS_LABELS[user.status]}</span>
      </td>
      <td>
        <PhoneCell user={user} />
      </td>
      <td>{user.mfa === 'locked' ? <span className="badge problem">{MFA_LABELS.locked}</span> : MFA_LABELS[user.mfa]}</td>
      <td className="numeric">{formatCount(user.validCodes)}</td>
      <td>
        <time className="nowrap" dateTime={user.createdAt.toISOString()} title={formatMinute(user.createdAt)}>
          {formatDay(user.createdAt)}
        </time>
      </td>
    </>
  );
}
