import 'server-only';
export { authorizeMetrics, type MetricsAccess } from './authorize-metrics';
export { collectMetrics, instanceName } from './collect-metrics';
export { httpMetricsState, type HttpCounter } from './http-counters';
