import { openApiDocument, withClientApi } from '@/lib/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/openapi.json — public by decision: the client API's OpenAPI 3.1 description. */
export const GET = withClientApi(async () => Response.json(openApiDocument));
