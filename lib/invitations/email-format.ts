import 'server-only';

/** What the account emails (invitation, password reset, notices) are made of. */
export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Monday, 11 March 2030 at 08:00 UTC": spelled out, so no reader mistakes day and month. */
export function formatEmailDate(date: Date): string {
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return `${WEEKDAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} at ${time} UTC`;
}

export interface EmailParts {
  subject: string;
  greeting: string;
  /** Paragraphs before the facts and the link. */
  intro: string[];
  /** Label/value pairs shown as a short list (e.g. the username). */
  facts?: [string, string][];
  link?: { label: string; url: string };
  /** Paragraphs after the link. */
  outro: string[];
}

/** Writes one email twice, as plain text and as simple HTML, from the same parts. */
export function composeEmail(parts: EmailParts): ComposedEmail {
  const facts = parts.facts ?? [];
  const text = [
    parts.greeting,
    ...parts.intro,
    ...(facts.length ? [facts.map(([label, value]) => `${label}: ${value}`).join('\n')] : []),
    ...(parts.link ? [`${parts.link.label}:\n${parts.link.url}`] : []),
    ...parts.outro,
  ].join('\n\n');
  const p = (t: string) => `<p>${escapeHtml(t)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>`,
    '<body style="font-family: system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif; color: #1b1f24; line-height: 1.5;">',
    p(parts.greeting),
    ...parts.intro.map(p),
    ...(facts.length
      ? [`<ul>${facts.map(([label, value]) => `<li>${escapeHtml(label)}: <strong>${escapeHtml(value)}</strong></li>`).join('')}</ul>`]
      : []),
    ...(parts.link
      ? [
          `<p><a href="${escapeHtml(parts.link.url)}" style="display: inline-block; padding: 10px 16px; background: #0b57d0; color: #ffffff; border-radius: 6px; text-decoration: none; font-weight: 600;">${escapeHtml(parts.link.label)}</a></p>`,
          `<p>Or copy this address into your browser:<br>${escapeHtml(parts.link.url)}</p>`,
        ]
      : []),
    ...parts.outro.map(p),
    '</body></html>',
  ].join('\n');
  return { subject: parts.subject, text, html };
}

/** "Hello Ada," or "Hello," when the first name is unknown. */
export function greetingFor(firstName: string): string {
  const name = firstName.trim();
  return name ? `Hello ${name},` : 'Hello,';
}
