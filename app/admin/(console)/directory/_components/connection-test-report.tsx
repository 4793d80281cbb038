import type { ActionResult } from '@/lib/actions/result';
import type { ConnectionTestResult, SampleUser } from '@/lib/directory';
import { phoneLabel } from './labels';

const name = (u: SampleUser) => [u.firstName, u.lastName].filter(Boolean).join(' ') || '—';

/** Test connection's answer: the bind result in plain words (announced), then the mapped sample users. */
export function ConnectionTestReport({ pending, result }: { pending: boolean; result?: ActionResult<ConnectionTestResult> }) {
  const test = result?.ok ? result.data : undefined;
  return (
    <section aria-labelledby="connection-test-heading" className="connection-test">
      <h2 id="connection-test-heading">Connection test</h2>
      <div role="status">
        {pending ? (
          <p>Testing the connection…</p>
        ) : test ? (
          <p className={`alert ${test.ok ? 'success' : 'error'}`}>{test.message}</p>
        ) : result && !result.ok ? (
          <p className="alert error">Correct the highlighted fields, then test again.</p>
        ) : (
          <p className="muted">Test connection binds with the values above (without saving them) and shows five users as they would be imported.</p>
        )}
      </div>
      {!pending && test && test.samples.length > 0 ? (
        <div className="table-scroll">
          <table className="users-table">
            <caption>Sample users as they would be imported, with the attribute that gave each phone number</caption>
            <thead>
              <tr>
                <th scope="col">DN</th>
                <th scope="col">Username</th>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Phone attribute</th>
                <th scope="col">Value in the directory</th>
                <th scope="col">Number for SMS</th>
                <th scope="col">Phone verdict</th>
              </tr>
            </thead>
            <tbody>
              {test.samples.map((u) => (
                <tr key={u.dn}>
                  <td className="username">{u.dn}</td>
                  {u.skipped ? (
                    <td colSpan={7}>Not imported: {u.skipped}</td>
                  ) : (
                    <>
                      <td className="username">{u.username ?? '—'}</td>
                      <td className="email">{u.email ?? '—'}</td>
                      <td>{name(u)}</td>
                      <td>{u.phone?.attribute ?? <span className="muted">none</span>}</td>
                      <td>{u.phone?.raw ?? '—'}</td>
                      <td className="nowrap">{u.phone?.e164 ?? '—'}</td>
                      <td>
                        {phoneLabel(u.phone?.status)}
                        {u.phone?.problem && u.phone.status !== 'missing' ? (
                          <>
                            <br />
                            <span className="muted">{u.phone.problem}</span>
                          </>
                        ) : null}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
