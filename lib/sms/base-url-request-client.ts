import 'server-only';
import type twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

const isTwilioHost = (hostname: string) => hostname === 'twilio.com' || hostname.endsWith('.twilio.com');

/** https://api.twilio.com/2010-04-01/... → <baseUrl>/2010-04-01/... (path and query kept). */
export function rewriteTwilioUri(uri: string, baseUrl: string): string {
  const target = new URL(uri);
  if (target.protocol !== 'https:' || !isTwilioHost(target.hostname)) return uri;
  const base = new URL(baseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${target.pathname}${target.search}`;
}

/**
 * The SDK's HTTP client, pointed at a Twilio-compatible endpoint other than *.twilio.com. Takes the
 * loaded SDK: it is imported only when an SMS is sent (it weighs ≈ 25 MB of memory).
 */
export function createBaseUrlRequestClient(sdk: typeof twilio, baseUrl: string, options?: RequestClient.RequestClientOptions): RequestClient {
  class BaseUrlRequestClient extends sdk.RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, baseUrl) });
    }
  }
  return new BaseUrlRequestClient(options);
}
