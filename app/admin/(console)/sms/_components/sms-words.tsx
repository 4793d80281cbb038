import type { SmsMessageView } from '@/lib/mfa';
import { formatMinute } from '../../users/_components/format';

/** SMS statuses and purposes in plain words, shared by the SMS Delivery page and the user page's SMS log. */
const STATUS: Record<SmsMessageView['status'], string> = {
  refused: 'Refused before sending',
  accepted: 'Accepted by Twilio',
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent to the carrier',
  delivered: 'Delivered',
  undelivered: 'Not delivered',
  failed: 'Failed',
  dev_outbox: 'Dev outbox (not sent)',
};
const FAILED = new Set<SmsMessageView['status']>(['refused', 'undelivered', 'failed']);

const PURPOSE: Record<string, string> = {
  mfa_code: 'Verification code',
  phone_changed_notice: 'Number changed notice',
};

export function SmsStatus({ status }: { status: SmsMessageView['status'] }) {
  const tone = FAILED.has(status) ? ' failure' : status === 'delivered' ? ' success' : '';
  return <span className={`badge${tone}`}>{STATUS[status]}</span>;
}

export const smsPurpose = (purpose: string) => PURPOSE[purpose] ?? purpose.replaceAll('_', ' ');

export function SmsTime({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{formatMinute(at)}</time>;
}

/** One user's SMS log. */
export function SmsLogTable({ messages, caption }: { messages: SmsMessageView[]; caption: string }) {
  if (messages.length === 0) return <p className="muted">No text messages sent yet.</p>;
  return (
    <div className="table-scroll">
      <table className="sms-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Purpose</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td className="nowrap">
                <SmsTime at={m.createdAt} />
              </td>
              <td>{smsPurpose(m.purpose)}</td>
              <td className="nowrap">{m.to}</td>
              <td>
                <SmsStatus status={m.status} />
              </td>
              <td>{m.problem ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
