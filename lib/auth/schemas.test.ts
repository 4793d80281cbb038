import { describe, expect, it } from 'vitest';
import { safeNextPath, signInSchema } from './schemas';
import { describeSignInFailure } from './sign-in-messages';

describe('safeNextPath', () => {
  it('keeps same-site paths of the realm', () => {
    expect(safeNextPath('admin', '/admin/users')).toBe('/admin/users');
    expect(safeNextPath('admin', '/admin')).toBe('/admin');
    expect(safeNextPath('admin', '/admin/users?page=2#top')).toBe('/admin/users?page=2#top');
    expect(safeNextPath('user', '/account')).toBe('/account');
    expect(safeNextPath('user', '/')).toBe('/');
    expect(safeNextPath('user', '/devices/new?step=2')).toBe('/devices/new?step=2');
    // Only the /admin segment is the admin realm, not every path that starts with those letters.
    expect(safeNextPath('user', '/administration-help')).toBe('/administration-help');
  });

  it('falls back to the realm home without a usable path', () => {
    expect(safeNextPath('admin', undefined)).toBe('/admin');
    expect(safeNextPath('user', undefined)).toBe('/');
    expect(safeNextPath('user', '')).toBe('/');
    expect(safeNextPath('user', 'account')).toBe('/');
  });

  it.each([
    '//evil.com',
    '//evil.com/admin',
    'https://evil.com',
    'https://evil.com/account',
    'javascript:alert(1)',
    '/\\evil.com',
    '\\\\evil.com',
    '/admin\\..\\evil',
    '/\t/evil.com',
    '/\n/evil.com',
    '/\r\n/evil.com',
  ])('refuses %j (open redirect)', (next) => {
    expect(safeNextPath('user', next)).toBe('/');
    expect(safeNextPath('admin', next)).toBe('/admin');
  });

  it('refuses paths of the other realm', () => {
    expect(safeNextPath('user', '/admin')).toBe('/');
    expect(safeNextPath('user', '/admin/users')).toBe('/');
    expect(safeNextPath('admin', '/account')).toBe('/admin');
    expect(safeNextPath('admin', '/')).toBe('/admin');
    expect(safeNextPath('admin', '/administration-help')).toBe('/admin');
  });

  it('refuses the sign-in pages (no redirect loops)', () => {
    expect(safeNextPath('admin', '/admin/login')).toBe('/admin');
    expect(safeNextPath('admin', '/admin/login?next=/admin/users')).toBe('/admin');
    expect(safeNextPath('user', '/login')).toBe('/');
    expect(safeNextPath('user', '/login?next=/account')).toBe('/');
  });
});

describe('signInSchema', () => {
  it('trims the identifier and requires both fields', () => {
    expect(signInSchema.parse({ identifier: '  ada@example.com ', password: 'pw' })).toEqual({ identifier: 'ada@example.com', password: 'pw' });
    const empty = signInSchema.safeParse({ identifier: '   ', password: '' });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['identifier', 'Enter your email address.'],
      ['password', 'Enter your password.'],
    ]);
    // A password with surrounding spaces is kept as typed.
    expect(signInSchema.parse({ identifier: 'ada', password: ' pw ' }).password).toBe(' pw ');
  });
});

describe('describeSignInFailure', () => {
  it('reads the same for a wrong identifier and a wrong password', () => {
    expect(describeSignInFailure('invalid', 'user')).toBe('The email, username or password is incorrect.');
    expect(describeSignInFailure('invalid', 'admin')).toBe('The email or password is incorrect.');
    expect(describeSignInFailure(undefined, 'user')).toBe('The email, username or password is incorrect.');
    expect(describeSignInFailure('something-new', 'admin')).toBe('The email or password is incorrect.');
  });

  it('explains a locked account with the wait, and offers the reset to users only', () => {
    expect(describeSignInFailure('locked:600', 'user')).toBe(
      'Too many failed attempts for this account. Wait 10 minutes and try again, or use “Forgot password”.',
    );
    expect(describeSignInFailure('locked:600', 'admin')).toBe('Too many failed attempts for this account. Wait 10 minutes and try again.');
    expect(describeSignInFailure('locked:61', 'admin')).toBe('Too many failed attempts for this account. Wait 2 minutes and try again.');
    expect(describeSignInFailure('locked:5', 'admin')).toBe('Too many failed attempts for this account. Wait 1 minute and try again.');
    // Without a retry time: the whole 15-minute window.
    expect(describeSignInFailure('locked', 'admin')).toBe('Too many failed attempts for this account. Wait 15 minutes and try again.');
  });

  it('explains a rate-limited network', () => {
    expect(describeSignInFailure('rate_limited:120', 'user')).toBe('Too many failed sign-ins from your network. Wait 2 minutes and try again.');
    expect(describeSignInFailure('rate_limited', 'admin')).toBe('Too many failed sign-ins from your network. Wait 15 minutes and try again.');
  });

  it('explains a disabled account', () => {
    expect(describeSignInFailure('disabled', 'user')).toBe('This account is disabled. Contact your administrator if you need access.');
  });
});
