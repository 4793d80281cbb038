/**
 * Per-instance HTTP counters, written by server.mjs (which sees every request and its status) and read
 * here at scrape time. Shared through a global symbol because server.mjs is not bundled.
 * Contract with server.mjs: Symbol.for('onramp.httpMetrics') → { inFlight: number,
 * requests: Map<string, { method, route, status, count, seconds }> } keyed by `${method} ${route} ${status}`.
 */
export interface HttpCounter {
  method: string;
  route: string;
  status: number;
  count: number;
  /** Sum of response times. */
  seconds: number;
}

export interface HttpMetricsState {
  inFlight: number;
  requests: Map<string, HttpCounter>;
}

const KEY = Symbol.for('onramp.httpMetrics');
type WithHttp = typeof globalThis & { [KEY]?: HttpMetricsState };

export function httpMetricsState(): HttpMetricsState {
  const g = globalThis as WithHttp;
  g[KEY] ??= { inFlight: 0, requests: new Map() };
  return g[KEY];
}
