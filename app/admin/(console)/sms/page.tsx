import type { Metadata } from 'next';
import Link from 'next/link';
import { Pagination } from '@/app/_components/pagination';
import { requireAdmin } from '@/lib/auth';
import { listRecentSmsFailures, listSharedNumbers } from '@/lib/mfa';
import { formatCount, usersCount } from '../users/_components/format';
import { SmsStatus, SmsTime } from './_components/sms-words';

export const metadata: Metadata = { title: 'SMS Delivery' };

const SHARED_LIMIT = 50;

export default async function SmsDeliveryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const { page } = await searchParams;
  const [failures, shared] = await Promise.all([
    listRecentSmsFailures({ days: 7, page: Number(Array.isArray(page) ? page[0] : page) || 1 }),
    listSharedNumbers({ limit: SHARED_LIMIT, usersPerNumber: 10 }),
  ]);
  return (
    <>
      <h1>SMS Delivery</h1>
      <p>
        Text messages carry the sign-in codes. When one fails, the user can’t sign in: check the number on their page, or ask them to correct it in
        the directory.
      </p>

      <h2 id="failures-heading">Failed text messages</h2>
      {failures.total === 0 ? (
        <p className="muted">No text message failed in the last 7 days.</p>
      ) : (
        <>
          <p className="list-summary">{usersCount(failures.total)} had a text message fail in the last 7 days. Each row shows the latest failure.</p>
          <div className="table-scroll">
            <table className="sms-table">
              <caption>Users whose text messages failed in the last 7 days, latest failure first</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Number</th>
                  <th scope="col">Status</th>
                  <th scope="col">Problem</th>
                  <th scope="col">Failures</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {failures.rows.map(({ user, latest, failures: n }) => (
                  <tr key={user.id}>
                    <td>
                      <Link href={`/admin/users/${user.id}`}>{user.email}</Link>
                      {user.name ? <div className="muted">{user.name}</div> : null}
                    </td>
                    <td className="nowrap">{latest.to}</td>
                    <td>
                      <SmsStatus status={latest.status} />
                    </td>
                    <td>{latest.problem ?? '—'}</td>
                    <td className="numeric">{formatCount(n)}</td>
                    <td className="nowrap">
                      <SmsTime at={latest.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {failures.pageCount > 1 ? (
            <Pagination page={failures.page} pageCount={failures.pageCount} hrefFor={(p) => `/admin/sms?page=${p}`} />
          ) : null}
        </>
      )}

      <h2>Numbers shared by several users</h2>
      <p>
        Several users may share a number (a team phone, or a mistake in the directory). Each of them can then sign in with codes sent to that one
        phone: check that this is intended.
      </p>
      {shared.length === 0 ? (
        <p className="muted">No number is shared.</p>
      ) : (
        <div className="table-scroll">
          <table className="sms-table">
            <caption>
              {shared.length === SHARED_LIMIT
                ? `The ${SHARED_LIMIT} numbers shared by the most users`
                : 'Numbers shared by several users, most shared first'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Users</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {shared.map((n) => (
                <tr key={n.e164}>
                  <td className="nowrap">{n.e164}</td>
                  <td className="numeric">{formatCount(n.userCount)}</td>
                  <td>
                    {n.users.map((u, i) => (
                      <span key={u.id}>
                        {i > 0 ? ', ' : null}
                        <Link href={`/admin/users/${u.id}`}>{u.email}</Link>
                      </span>
                    ))}
                    {n.userCount > n.users.length ? ` and ${formatCount(n.userCount - n.users.length)} more` : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
