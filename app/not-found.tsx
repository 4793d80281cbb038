import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <h1>Page not found</h1>
        <p>There is nothing at this address. Check the link, or start again from the portal.</p>
        <p>
          <Link href="/">Go to the portal</Link> · <Link href="/admin">Go to the admin console</Link>
        </p>
      </div>
    </main>
  );
}
