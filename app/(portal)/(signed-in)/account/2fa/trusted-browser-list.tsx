import type { TrustedBrowserView } from '@/lib/mfa';
import { describeUserAgent } from '@/lib/events';
import { ForgetBrowserButton } from './forget-browser-button';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function When({ at, withTime }: { at: Date; withTime?: boolean }) {
  return <time dateTime={at.toISOString()}>{withTime ? `${dateTimeFormat.format(at)} UTC` : dateFormat.format(at)}</time>;
}

/** Browsers that skip the code at sign-in ("remember this device"), each with Forget. */
export function TrustedBrowserList({ browsers }: { browsers: TrustedBrowserView[] }) {
  if (browsers.length === 0) {
    return <p className="muted">No remembered browsers. Browsers you choose to remember after entering a code appear here.</p>;
  }
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Your remembered browsers</caption>
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Remembered</th>
            <th scope="col">Last used</th>
            <th scope="col">Remembered until</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {browsers.map((b) => (
            <tr key={b.id}>
              <td id={`browser-${b.id}`}>
                {describeUserAgent(b.userAgent)}
                {b.current ? (
                  <>
                    {' '}
                    <span className="badge success">This browser</span>
                  </>
                ) : null}
                {b.ip ? <span className="muted trusted-browser-ip"> from {b.ip}</span> : null}
              </td>
              <td>
                <When at={b.createdAt} />
              </td>
              <td>{b.lastUsedAt ? <When at={b.lastUsedAt} withTime /> : 'Not yet'}</td>
              <td>
                <When at={b.expiresAt} />
              </td>
              <td>
                <ForgetBrowserButton browserId={b.id} describedBy={`browser-${b.id}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
