import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/auth';
import { isDevOutboxActive, listOutbox } from '@/lib/outbox';

export const metadata: Metadata = { title: 'Dev outbox' };

/** Exists only while a dev transport is active: shows the emails and SMS that were not really sent. */
export default async function OutboxPage() {
  await requireAdmin();
  if (!isDevOutboxActive()) notFound();
  const messages = await listOutbox({ limit: 100 });
  return (
    <>
      <h1>Dev outbox</h1>
      <div className="alert warn" role="note">
        No SMTP server or Twilio account is configured for some messages, so they are kept here instead of being sent.
        Configure SMTP_URL and TWILIO_* for production.
      </div>
      {messages.length === 0 ? <p>No messages yet.</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="card" style={{ marginBottom: '1rem' }} aria-label={`${m.channel} to ${m.recipient}`}>
          <h2 style={{ marginTop: 0 }}>
            {m.channel === 'email' ? 'Email' : 'SMS'} to {m.recipient}
          </h2>
          <p className="muted">
            <time dateTime={m.createdAt.toISOString()}>{m.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
            {m.subject ? ` · ${m.subject}` : ''}
          </p>
          <pre className="message">{m.bodyText}</pre>
        </article>
      ))}
    </>
  );
}
