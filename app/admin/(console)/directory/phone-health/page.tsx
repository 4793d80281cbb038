import type { Metadata } from 'next';
import Link from 'next/link';
import { Pagination } from '@/app/_components/pagination';
import { requireAdmin } from '@/lib/auth';
import { listPhoneProblems } from '@/lib/directory';
import { formatCount, usersCount } from '../../users/_components/format';
import { phoneLabel } from '../_components/labels';
import { parsePage } from '../_components/run-schemas';

export const metadata: Metadata = { title: 'Phone health · Directory Services' };

const PAGE_SIZE = 50;

/** Phone health: every user whose number can't receive SMS codes as it is, with what to fix; the checklist before SMS MFA. */
export default async function PhoneHealthPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const list = await listPhoneProblems(parsePage(await searchParams), PAGE_SIZE);
  const pageCount = Math.max(1, Math.ceil(list.total / list.pageSize));
  const first = (list.page - 1) * list.pageSize + 1;
  return (
    <>
      <p>
        <Link href="/admin/directory">← Directory Services</Link>
      </p>
      <div className="page-heading">
        <h1>Phone health</h1>
        {/* A plain link: the route answers with an attachment, so the browser downloads it and stays here. */}
        <a className="button secondary" href="/admin/directory/phone-health/download" download>
          Download CSV
        </a>
      </div>
      <p>
        Every user whose phone number can’t be used for SMS codes as it is: no number, a number without a country code, a country that was
        assumed, or an invalid number. Work through this list (or the CSV) before turning on SMS two-factor authentication, or these users won’t
        receive their codes. Fix directory users in the directory (or set a default country in Directory Services), then sync again.
      </p>
      <p className="list-summary">
        {list.total === 0
          ? 'Every user has a number that can receive SMS codes.'
          : `Showing ${formatCount(first)}–${formatCount(first + list.items.length - 1)} of ${usersCount(list.total)} with a phone problem.`}
      </p>
      {list.items.length > 0 ? (
        <div className="table-scroll">
          <table className="users-table">
            <caption>
              Users with a phone problem; page {formatCount(list.page)} of {formatCount(pageCount)}.
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Source</th>
                <th scope="col">DN</th>
                <th scope="col">Attribute used</th>
                <th scope="col">Raw value</th>
                <th scope="col">Problem</th>
                <th scope="col">What to fix</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => (
                <tr key={p.userId}>
                  <td className="email">
                    <Link href={`/admin/users/${p.userId}`}>{[p.firstName, p.lastName].filter(Boolean).join(' ') || p.username}</Link>
                    <br />
                    <span className="muted">{p.email}</span>
                  </td>
                  <td>{p.source === 'directory' ? 'Directory' : 'Manual'}</td>
                  <td className="username">{p.dn ?? '—'}</td>
                  <td>{p.attribute ?? '—'}</td>
                  <td className="nowrap">{p.raw ?? '—'}</td>
                  <td>
                    <strong>{phoneLabel(p.phoneStatus)}</strong>
                    {p.e164 ? <> (read as {p.e164})</> : null}
                  </td>
                  <td>{p.fix}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.total > 0 ? <Pagination page={list.page} pageCount={pageCount} hrefFor={(p) => `/admin/directory/phone-health?page=${p}`} /> : null}
    </>
  );
}
