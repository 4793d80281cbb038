'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <h1>Something went wrong</h1>
        <p>The page could not be shown. Nothing you entered was lost on our side. Try again in a moment.</p>
        {error.digest ? <p className="muted">If it keeps happening, tell your administrator this reference: {error.digest}</p> : null}
        <button type="button" className="button" onClick={() => reset()}>
          Try again
        </button>
      </div>
    </main>
  );
}
