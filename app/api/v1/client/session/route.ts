import { SESSION_ERROR_STATUS, apiError, bearerChallenge, bearerTokenOf, withClientApi } from '@/lib/api';
import { checkDeviceCredential } from '@/lib/devices/check-device-credential';

export const dynamic = 'force-dynamic';

/** GET /api/v1/client/session — authorizes itself with the device's bearer credential on every call. */
export const GET = withClientApi(async (request: Request) => {
  const token = bearerTokenOf(request);
  const check = token ? await checkDeviceCredential(token) : ({ ok: false, code: 'invalid_token' } as const);
  if (!check.ok) throw apiError(SESSION_ERROR_STATUS, check.code, { headers: { 'WWW-Authenticate': bearerChallenge(token !== undefined) } });
  return Response.json({ deviceId: check.deviceId, status: 'active', user: check.user });
});
