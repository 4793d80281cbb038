import { REGISTER_ERROR_STATUS, apiError, readJsonBody, withClientApi } from '@/lib/api';
import { redeemCode, redeemRequestSchema } from '@/lib/registration-codes';
import { clientInfoFrom } from '@/lib/request';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/client/register — public by decision: the one-time registration code is the
 * credential, and failed attempts are rate-limited in lib/registration-codes.
 */
export const POST = withClientApi(async (request: Request) => {
  const input = await readJsonBody(request, redeemRequestSchema);
  const result = await redeemCode(input, clientInfoFrom(request.headers));
  if (result.ok) {
    const { deviceId, token, user } = result;
    return Response.json({ deviceId, token, user }, { status: 201 });
  }
  if (result.code === 'rate_limited') {
    throw apiError(REGISTER_ERROR_STATUS, 'rate_limited', { headers: { 'Retry-After': String(result.retryAfterSeconds) } });
  }
  throw apiError(REGISTER_ERROR_STATUS, result.code);
});
