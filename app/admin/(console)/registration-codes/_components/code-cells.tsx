import Link from 'next/link';
import type { CodeRowDto } from '@/lib/registration-codes';
import { CODE_STATUS_LABELS, type CodeStatus } from '@/lib/registration-codes/code-list-schemas';
import { formatMinute } from '../../users/_components/format';
import { userDisplayName } from '../../users/_components/user-cells';

const STATUS_BADGES: Record<CodeStatus, string> = { valid: 'status-active', used: 'status-invited', expired: 'notice', revoked: 'status-disabled' };

function When({ date }: { date: Date | null }) {
  if (!date) return <span className="muted">—</span>;
  return (
    <time className="nowrap" dateTime={date.toISOString()}>
      {formatMinute(date)}
    </time>
  );
}

/** The label of a row's checkbox: whose code, and when it was made (a user can hold several). */
export function codeRowLabel(row: CodeRowDto): string {
  return `the code of ${userDisplayName(row.user)} (${row.user.email}) created ${formatMinute(row.createdAt)}`;
}

/** The cells of one row after the checkbox (rendered on the server, handed to the selectable table). */
export function CodeCells({ row }: { row: CodeRowDto }) {
  return (
    <>
      <td className="email">
        <Link href={`/admin/users/${row.user.id}`}>{userDisplayName(row.user)}</Link>
        <br />
        <span className="muted">{row.user.email}</span>
      </td>
      <td>
        <span className={`badge ${STATUS_BADGES[row.status]}`}>{CODE_STATUS_LABELS[row.status]}</span>
        {row.status === 'revoked' && row.revokedAt ? (
          <>
            <br />
            <span className="muted">
              on <When date={row.revokedAt} />
            </span>
          </>
        ) : null}
      </td>
      <td>
        <When date={row.createdAt} />
      </td>
      <td>
        <When date={row.expiresAt} />
      </td>
      <td>
        <When date={row.usedAt} />
      </td>
      <td>{row.deviceName ?? <span className="muted">—</span>}</td>
    </>
  );
}
