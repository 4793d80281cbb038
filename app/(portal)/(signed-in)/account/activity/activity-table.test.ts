import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OwnActivityDto } from '@/lib/events';
import { ActivityTable } from './activity-table';

const render = (items: OwnActivityDto[]) => renderToStaticMarkup(createElement(ActivityTable, { items }));

const item = (overrides: Partial<OwnActivityDto>): OwnActivityDto => ({
  id: 1,
  occurredAt: new Date('2031-02-03T09:04:05.000Z'),
  summary: 'Signed in',
  outcome: 'success',
  ip: '198.51.100.7',
  browser: 'Chrome on Windows',
  by: 'you',
  byLabel: 'You',
  ...overrides,
});

describe('the activity table', () => {
  it('says so when there is no activity, without an empty table', () => {
    const html = render([]);
    expect(html).toContain('No activity yet.');
    expect(html).not.toContain('<table');
  });

  it('shows the time in UTC with a machine-readable dateTime, and a caption', () => {
    const html = render([item({})]);
    expect(html).toContain('<time dateTime="2031-02-03T09:04:05.000Z">3 Feb 2031, 09:04:05</time>');
    expect(html).toMatch(/<caption id="activity-caption">[^<]*newest first[^<]*UTC[^<]*<\/caption>/);
    expect(html).toContain('role="region" aria-labelledby="activity-caption" tabindex="0"');
  });

  it('renders what a user or device wrote as text, never as markup', () => {
    const html = render([item({ summary: 'Device registered: <img src=x onerror=alert(1)> (Windows)' })]);
    expect(html).toContain('Device registered: &lt;img src=x onerror=alert(1)&gt; (Windows)');
    expect(html).not.toContain('<img');
  });

  it('reads "Not shown" for the IP and browser of an administrator’s change', () => {
    const html = render([item({ ip: null, browser: null, by: 'administrator', byLabel: 'An administrator' })]);
    expect(html.match(/<span class="visually-hidden">Not shown<\/span>/g)).toHaveLength(2);
    expect(html).toContain('<td>An administrator</td>');
  });
});
