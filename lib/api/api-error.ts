import 'server-only';

/** An answer the client API gives on purpose: thrown by handlers, turned into the JSON error envelope by withClientApi. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The envelope every client API error uses: {"error":{"code","message"}}. */
export function errorResponse(error: ApiError): Response {
  return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers: error.headers });
}
