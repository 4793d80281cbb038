import type { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth';
import { handleSsoCallback, SSO_CALLBACK_PATH } from '@/lib/auth/sso-auth';

/** next-auth's routes; the single sign-on callback goes to the SSO instance (lib/auth/sso-auth.ts). */
export function GET(request: NextRequest) {
  return request.nextUrl.pathname === SSO_CALLBACK_PATH ? handleSsoCallback(request) : handlers.GET(request);
}

export const { POST } = handlers;
