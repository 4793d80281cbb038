import 'server-only';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { requireAdmin, requirePendingUser, requireUser, type AdminPrincipal, type UserPrincipal } from '@/lib/auth';
import { getEnv } from '@/lib/env';
import { errorFields, log } from '@/lib/log';
import { getClientInfo, type ClientInfo } from '@/lib/request';
import type { ActionResult, FieldErrors } from './result';

export type { ActionResult, FieldErrors } from './result';

type FormInput = FormData | Record<string, unknown> | undefined;

export class ForbiddenOriginError extends Error {
  constructor(origin: string | null) {
    super(`Refused a server action from origin ${origin ?? '(none)'}`);
    this.name = 'ForbiddenOriginError';
  }
}

/**
 * Server actions are POSTs a browser sends with an Origin header. Next.js compares Origin with Host;
 * this also refuses a missing or `null` Origin and any origin other than ours.
 */
export async function assertSameOrigin(): Promise<void> {
  const h = await headers();
  const origin = h.get('origin');
  const allowed = new Set<string>([new URL(getEnv().APP_URL).origin]);
  const host = h.get('x-forwarded-host') ?? h.get('host');
  const proto = h.get('x-forwarded-proto') ?? 'http';
  if (host) allowed.add(`${proto}://${host}`);
  if (!origin || origin === 'null' || !allowed.has(origin)) throw new ForbiddenOriginError(origin);
  const site = h.get('sec-fetch-site');
  if (site && site !== 'same-origin') throw new ForbiddenOriginError(origin);
}

function toObject(input: FormInput): Record<string, unknown> {
  if (!input) return {};
  if (input instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of input.entries()) {
      if (key.startsWith('$ACTION')) continue;
      if (typeof value !== 'string') continue;
      const prev = out[key];
      if (prev === undefined) out[key] = value;
      else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    return out;
  }
  return input;
}

/** Keeps what the person typed (never passwords) so a refused form loses nothing. */
function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string' && !/pass|secret|token|code/i.test(k)) values[k] = v;
  }
  return values;
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  return z.flattenError(error).fieldErrors as FieldErrors;
}

interface Context<P> {
  principal: P;
  client: ClientInfo;
}

type Handler<S extends z.ZodType, P, R> = (input: z.infer<S>, ctx: Context<P>) => Promise<ActionResult<R>>;

function build<S extends z.ZodType, P, R>(authorize: () => Promise<P>, schema: S, fn: Handler<S, P, R>) {
  return async (_prev: ActionResult<R> | undefined, formData?: FormInput): Promise<ActionResult<R>> => {
    await assertSameOrigin();
    const principal = await authorize();
    const raw = toObject(formData);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values: echoValues(raw) };
    try {
      const result = await fn(parsed.data, { principal, client: await getClientInfo() });
      return result.ok ? result : { ...result, values: result.values ?? echoValues(raw) };
    } catch (error) {
      unstable_rethrow(error);
      const reference = randomUUID().slice(0, 8);
      log.error('server action failed', { reference, ...errorFields(error) });
      return {
        ok: false,
        formError: `Something went wrong on our side and nothing was saved. Try again; if it keeps happening, give your administrator this reference: ${reference}.`,
        values: echoValues(raw),
      };
    }
  };
}

/** An action only a signed-in admin can run. */
export function adminAction<S extends z.ZodType, R = void>(schema: S, fn: Handler<S, AdminPrincipal, R>) {
  return build(requireAdmin, schema, fn);
}

/** An action only a signed-in end user can run. */
export function userAction<S extends z.ZodType, R = void>(schema: S, fn: Handler<S, UserPrincipal, R>) {
  return build(requireUser, schema, fn);
}

/**
 * An action of the second sign-in step (/login/verify): only a user session that still owes its SMS
 * code. Anonymous callers and admins are sent to the portal sign-in; a passed session to the portal.
 */
export function pendingUserAction<S extends z.ZodType, R = void>(schema: S, fn: Handler<S, UserPrincipal, R>) {
  return build(() => requirePendingUser(), schema, fn);
}

/** An action anyone may run (sign-in, setup, activation): still origin-checked and validated. */
export function publicAction<S extends z.ZodType, R = void>(schema: S, fn: Handler<S, null, R>) {
  return build(async () => null, schema, fn);
}
