import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EventsTable } from '@/app/_components/events-table';
import { requireAdmin } from '@/lib/auth';
import { codeListHref } from '@/lib/registration-codes/code-list-schemas';
import { getUserDetail } from '@/lib/users';
import type { BulkAction } from '@/lib/users/schemas';
import { bulkUsersAction } from '../actions';
import { MfaPanel } from './mfa-panel';
import { UserActionButton } from './user-actions';

export const metadata: Metadata = { title: 'User' };

const fmt = (d: Date | null | undefined) => (d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—');

const INVITATION: Record<string, string> = {
  none: 'No invitation sent',
  pending: 'Pending',
  expired: 'Expired: resend the invitation',
  accepted: 'Accepted',
};

const NOTICES: Record<string, string> = {
  created: 'User created.',
  updated: 'Changes saved.',
  mfa_reset: 'Two-factor authentication was reset: the number is removed and remembered browsers are forgotten. The user sets it up again at their next sign-in.',
  mfa_unlocked: 'Two-factor authentication unlocked. The user can sign in with a code again.',
};

export default async function UserPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await requireAdmin();
  const { id } = await params;
  const { notice, invitation, code } = await searchParams;
  const user = /^[0-9a-f-]{36}$/i.test(id) ? await getUserDetail(id) : undefined;
  if (!user) notFound();
  const name = `${user.firstName} ${user.lastName}`.trim() || user.username;
  const actions: BulkAction[] = [
    ...(user.status === 'invited' ? (['resend_invitation'] as const) : []),
    ...(user.status !== 'disabled' ? (['generate_code'] as const) : []),
    'reset_password',
    user.status === 'disabled' ? 'enable' : 'disable',
    ...(user.source === 'manual' ? (['delete'] as const) : []),
  ];
  return (
    <>
      <p>
        <Link href="/admin/users">← Users</Link>
      </p>
      <h1>{name}</h1>
      {notice && NOTICES[notice] ? (
        <div className="alert success" role="status">
          {NOTICES[notice]}
          {invitation === 'sent' ? ' The invitation email was sent.' : ''}
          {code === 'generated' ? (
            <>
              {' A registration code was generated: '}
              <Link href={codeListHref({ q: user.email })}>see it in Registration Codes</Link>, and download it from there.
            </>
          ) : null}
        </div>
      ) : null}
      {code === 'failed' ? (
        <div className="alert error" role="alert">
          The registration code could not be generated. Select the user in the Users list and use “Generate registration code”.
        </div>
      ) : null}
      {invitation === 'failed' ? (
        <div className="alert error" role="alert">
          The invitation email could not be sent. Check the email settings, then use “Resend invitation”.
        </div>
      ) : null}
      <div className="actions-row">
        {user.source === 'manual' ? (
          <p>
            <Link className="button secondary" href={`/admin/users/${user.id}/edit`}>
              Edit
            </Link>
          </p>
        ) : null}
        {actions.map((kind) => (
          <UserActionButton key={kind} action={bulkUsersAction} userId={user.id} kind={kind} />
        ))}
      </div>
      <h2>Account</h2>
      <dl className="facts card">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Status</dt>
        <dd>{user.status}</dd>
        <dt>Source</dt>
        <dd>{user.source === 'directory' ? `Directory${user.directoryDn ? ` (${user.directoryDn})` : ''}` : 'Created in the admin console'}</dd>
        <dt>Invitation</dt>
        <dd>
          {INVITATION[user.invitation.state]}
          {user.invitation.sentAt ? ` · sent ${fmt(user.invitation.sentAt)}` : ''}
          {user.invitation.state === 'pending' && user.invitation.expiresAt ? ` · expires ${fmt(user.invitation.expiresAt)}` : ''}
        </dd>
        <dt>Phone</dt>
        <dd>
          {user.phoneE164 ?? user.phoneRaw ?? '—'}
          {user.phoneSource ? <span className="muted"> (from {user.phoneSource})</span> : null}
          {user.phoneProblem && user.phoneStatus !== 'missing' ? <span className="badge failure"> {user.phoneProblem}</span> : null}
        </dd>
        <dt>Created</dt>
        <dd>{fmt(user.createdAt)}</dd>
        <dt>Activated</dt>
        <dd>{fmt(user.activatedAt)}</dd>
        <dt>Last sign-in</dt>
        <dd>{fmt(user.lastSignInAt)}</dd>
      </dl>
      <MfaPanel user={user} />
      <h2>Devices</h2>
      {user.devices.length === 0 ? (
        <p className="muted">No registered devices.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Platform</th>
              <th scope="col">Registered</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {user.devices.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{d.platform}</td>
                <td>{fmt(d.createdAt)}</td>
                <td>{fmt(d.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent events</h2>
      <EventsTable events={user.events} caption={`The latest events about ${user.email}`} />
    </>
  );
}
