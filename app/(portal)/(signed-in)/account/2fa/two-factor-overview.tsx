import type { MfaFactorView, MfaRequirement, PhoneOnFile, TrustedBrowserView } from '@/lib/mfa';
import { DirectoryNumber } from './directory-number';
import { NOTICES, twoFactorPath, type Notice } from './schemas';
import { TrustedBrowserList } from './trusted-browser-list';

export const REQUIRED_TEXT = 'Your organisation requires two-factor authentication; you can change the number but not remove it.';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** /account/2fa without a flow: the factor, its actions, a directory user's number, remembered browsers. */
export function TwoFactorOverview({
  factor,
  requirement,
  onFile,
  browsers,
  notice,
}: {
  factor: MfaFactorView;
  requirement: MfaRequirement;
  onFile: PhoneOnFile;
  browsers: TrustedBrowserView[];
  notice?: Notice;
}) {
  const enrolled = factor.state !== 'none';
  const canSetUp = !onFile.fromDirectory || (!!onFile.e164 && !onFile.problem);
  return (
    <>
      <p>
        <a href="/">Back to your account</a>
      </p>
      <h1>2FA settings</h1>
      <div role="status">{notice ? <div className="alert success">{NOTICES[notice]}</div> : null}</div>

      <section aria-labelledby="two-factor-heading" className="card two-factor">
        <div className="two-factor-heading">
          <h2 id="two-factor-heading">2 Factor Authentication</h2>
          {factor.state === 'verified' ? (
            <span>
              (<a href={twoFactorPath({ flow: 'change', step: 'password' })}>Change Settings</a>)
            </span>
          ) : null}
        </div>
        <dl className="facts">
          <dt>Method</dt>
          <dd>Text Message Code</dd>
          <dt>Phone number</dt>
          <dd>{enrolled ? factor.maskedPhone : 'Not set up'}</dd>
          {factor.verifiedAt ? (
            <>
              <dt>Verified</dt>
              <dd>
                <time dateTime={factor.verifiedAt.toISOString()}>{dateFormat.format(factor.verifiedAt)}</time>
              </dd>
            </>
          ) : null}
        </dl>
        {factor.state === 'locked' ? (
          <div className="alert warn">Two-factor authentication is locked after too many wrong codes. Ask your administrator to unlock it.</div>
        ) : null}
        {!enrolled ? (
          canSetUp ? (
            <p>
              <a className="button" href={twoFactorPath({ flow: 'setup' })}>
                Set up
              </a>
            </p>
          ) : (
            <p>Two-factor authentication can be set up once your organisation’s directory has a mobile number for you that can receive text messages.</p>
          )
        ) : requirement.required ? (
          <p>{REQUIRED_TEXT}</p>
        ) : (
          <p>
            <a className="button secondary danger" href={twoFactorPath({ flow: 'remove' })}>
              Remove
            </a>
          </p>
        )}
      </section>

      {onFile.fromDirectory ? <DirectoryNumber phone={onFile} /> : null}

      <section aria-labelledby="trusted-browsers-heading" className="trusted-browsers">
        <h2 id="trusted-browsers-heading">Remembered browsers</h2>
        <p>These browsers skip the text message code when you sign in. Forget a browser you no longer use or don’t recognise.</p>
        <TrustedBrowserList browsers={browsers} />
      </section>
    </>
  );
}
