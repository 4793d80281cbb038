import { describe, expect, it } from 'vitest';
import { eventsHref, parseEventQuery } from './event-filter-schema';

describe('the Event Discovery filter in the URL', () => {
  it('defaults to the last 7 days and leaves defaults out of links', () => {
    const { query, errors } = parseEventQuery({});
    expect(query.range).toBe('7d');
    expect(errors).toEqual({});
    expect(eventsHref(query)).toBe('/admin/events');
    expect(eventsHref({ range: '24h', type: 'MFA', subType: 'Locked', q: 'a b' })).toBe('/admin/events?range=24h&type=MFA&subType=Locked&q=a+b');
  });

  it('round-trips a full view, custom range and page position included', () => {
    const params = new URLSearchParams({ range: 'custom', from: '2031-01-01T00:00', to: '2031-01-02T00:00', outcome: 'failure', ip: '2001:db8::1', before: '2031-01-01T10:00:00.123456Z~42' });
    const { query } = parseEventQuery(params);
    expect(parseEventQuery(new URL(eventsHref(query), 'http://x').searchParams).query).toEqual(query);
  });

  it('drops only the fields that do not validate, reports why and keeps what was typed', () => {
    const { query, errors, raw } = parseEventQuery({ range: 'custom', from: 'yesterday', ip: 'not-an-ip', type: 'User', outcome: 'maybe' });
    expect(errors).toEqual({
      from: 'Enter a date and time like 2026-11-23T09:30.',
      ip: 'Enter an IPv4 or IPv6 address.',
      outcome: 'Choose success or failure.',
    });
    expect(query).toEqual({ range: '7d', type: 'User' });
    expect(raw).toMatchObject({ from: 'yesterday', ip: 'not-an-ip' });
  });

  it('refuses a custom range that ends before it starts, and ignores forged cursors', () => {
    expect(parseEventQuery({ range: 'custom', from: '2031-01-02T00:00', to: '2031-01-01T00:00' }).errors).toEqual({ to: 'The end must be after the start.' });
    expect(parseEventQuery({ before: "1' or 1=1--" }).query.before).toBeUndefined();
  });
});
