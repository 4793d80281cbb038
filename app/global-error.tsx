'use client';

export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body>
        <main id="main" style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '32rem', margin: '3rem auto', padding: '1rem' }}>
          <h1>Onramp is having trouble</h1>
          <p>The service could not answer. Try again in a minute; if it persists, contact your administrator.</p>
          {error.digest ? <p>Reference: {error.digest}</p> : null}
        </main>
      </body>
    </html>
  );
}
