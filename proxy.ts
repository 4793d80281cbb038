import { NextResponse, type NextRequest } from 'next/server';

/**
 * A convenience, not a wall: every page, action and route authorizes itself through lib/auth guards
 * (the test suite also runs with these redirects switched off). This file only
 *  1. sends visitors without a session cookie to the right sign-in page, and
 *  2. sets a per-request nonce Content-Security-Policy for pages.
 */

const PUBLIC_PATHS = [/^\/login$/, /^\/admin\/login$/, /^\/setup(\/|$)/, /^\/activate(\/|$)/, /^\/register(\/|$)/, /^\/forgot-password/, /^\/reset-password/];

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV !== 'production';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const redirectsOn = process.env.ONRAMP_PROXY_REDIRECTS !== 'off';
  if (redirectsOn && !PUBLIC_PATHS.some((p) => p.test(pathname)) && !hasSessionCookie(request)) {
    const login = pathname === '/admin' || pathname.startsWith('/admin/') ? '/admin/login' : '/login';
    const url = request.nextUrl.clone();
    url.pathname = login;
    url.search = '';
    if (pathname !== '/' && pathname !== '/admin') url.searchParams.set('next', `${pathname}${search}`);
    return NextResponse.redirect(url);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
