import 'server-only';
import type { z } from 'zod';
import { ApiError } from './api-error';
import { API_ERROR_MESSAGES } from './client-errors';

const MAX_BODY_BYTES = 16 * 1024;

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid_request', message);
}

/** The body as text, refusing more than `limit` bytes without reading past them. */
async function readCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw invalid(`The body must be at most ${limit} bytes.`);
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw invalid(`The body must be at most ${limit} bytes.`);
    chunks.push(chunk);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

/** Reads and validates a JSON body; anything wrong is a 400 invalid_request that says what. */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(await readCapped(request, MAX_BODY_BYTES));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw invalid('The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw invalid(`${API_ERROR_MESSAGES.invalid_request} ${problems.join('; ')}`);
  }
  return parsed.data;
}
