import type { PhoneOnFile } from '@/lib/mfa';

export const DIRECTORY_NUMBER_TEXT = 'This number comes from your organisation’s directory. Ask your administrator to correct it there.';

/** A directory user's number, read-only, with exactly why it can't receive text messages when so. */
export function DirectoryNumber({ phone, headingLevel = 2 }: { phone: PhoneOnFile; headingLevel?: 2 | 3 }) {
  const Heading = `h${headingLevel}` as const;
  return (
    <section aria-labelledby="directory-number-heading" className="card directory-number">
      <Heading id="directory-number-heading">Your mobile number</Heading>
      <p className="directory-number-value">{phone.e164 ?? phone.raw ?? 'No number on file'}</p>
      <p>{DIRECTORY_NUMBER_TEXT}</p>
      {phone.problem ? (
        <div className="alert warn">
          <strong>Text messages can’t be sent to this number.</strong> {phone.problem}
        </div>
      ) : null}
    </section>
  );
}
