import 'server-only';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { EVENT } from '@/lib/events';
import { httpMetricsState } from './http-counters';
import { formatPrometheus, type MetricFamily } from './prometheus-text';

/** This instance's name in logs and metrics. */
export function instanceName(): string {
  return getEnv().ONRAMP_INSTANCE ?? `${hostname()}:${process.pid}`;
}

const REALM_OF: Record<string, string> = {
  [EVENT.adminSignIn.subType]: 'admin',
  [EVENT.userSignIn.subType]: 'user',
  [EVENT.ssoSignIn.subType]: 'sso',
};

type Row = Record<string, string | number | null>;
const num = (v: unknown) => Number(v ?? 0);

/**
 * Events of one type and these sub types ever recorded, by sub type, outcome and `details.reason`: those
 * in the log plus those the retention job deleted (pruned_event_counts), so the counter never goes down.
 */
function countEvents(type: string, subTypes: string[]) {
  const kinds = sql.join(
    subTypes.map((subType) => sql`${subType}`),
    sql`, `,
  );
  return sql`select sub_type, outcome, reason, sum(n) as n from (
      select sub_type, outcome, coalesce(details->>'reason', '') as reason, count(*) as n
        from events where type = ${type} and sub_type in (${kinds}) group by 1, 2, 3
      union all
      select sub_type, outcome, reason, count as n from pruned_event_counts where type = ${type} and sub_type in (${kinds})
    ) counted group by 1, 2, 3`;
}

/**
 * Everything /api/metrics shows. Counts that must agree across instances (sign-ins, SMS, redemptions,
 * directory runs, queues) are read from Postgres at scrape time, so every instance reports the same
 * totals; the event-derived ones include the events the retention job deleted, so they never go down
 * (a drop would read as a counter reset). HTTP counts are this process's own, labelled with its instance name.
 */
export async function collectMetrics(): Promise<string> {
  const db = getDb();
  const instance = instanceName();
  const at = now().toISOString();
  const [signIns, redemptions, sms, runs, queued, jobs] = await Promise.all([
    db.execute(countEvents(EVENT.adminSignIn.type, [EVENT.adminSignIn.subType, EVENT.userSignIn.subType, EVENT.ssoSignIn.subType])),
    db.execute(countEvents(EVENT.codeUsed.type, [EVENT.codeUsed.subType, EVENT.codeRedeemFailed.subType])),
    db.execute(sql`select status, coalesce(error_code::text, '') as error_code, count(*) as n from sms_messages group by 1, 2`),
    db.execute(sql`select status, trigger, dry_run, count(*) as n,
        coalesce(sum(extract(epoch from (finished_at - started_at))), 0) as seconds
      from directory_sync_runs where finished_at is not null group by 1, 2, 3`),
    db.execute(sql`select count(*) filter (where status = 'queued') as queued, count(*) filter (where status = 'running') as running from directory_sync_runs where status in ('queued', 'running')`),
    db.execute(sql`select count(*) filter (where next_run_at <= ${at}::timestamptz and (lease_until is null or lease_until < ${at}::timestamptz)) as due,
        count(*) filter (where lease_until >= ${at}::timestamptz) as running from scheduled_jobs`),
  ]);
  const queue = rowsOf<Row>(queued)[0] ?? {};
  const job = rowsOf<Row>(jobs)[0] ?? {};
  const http = httpMetricsState();
  const families: MetricFamily[] = [
    {
      name: 'onramp_instance_info',
      help: 'One per instance answering the scrape.',
      type: 'gauge',
      samples: [{ labels: { instance }, value: 1 }],
    },
    {
      name: 'onramp_http_requests_total',
      help: 'HTTP requests this instance answered, by route (ids and tokens folded into :id), method and status.',
      type: 'counter',
      samples: [...http.requests.values()].map((c) => ({ labels: { instance, method: c.method, route: c.route, status: c.status }, value: c.count })),
    },
    {
      name: 'onramp_http_request_duration_seconds_sum',
      help: 'Total time this instance spent answering, by route, method and status (divide by onramp_http_requests_total).',
      type: 'counter',
      samples: [...http.requests.values()].map((c) => ({ labels: { instance, method: c.method, route: c.route, status: c.status }, value: Math.round(c.seconds * 1e6) / 1e6 })),
    },
    {
      name: 'onramp_http_requests_in_flight',
      help: 'Requests this instance is answering now.',
      type: 'gauge',
      samples: [{ labels: { instance }, value: http.inFlight }],
    },
    {
      name: 'onramp_sign_ins_total',
      help: 'Password and SSO sign-ins (all instances, from the event log), by realm, outcome and failure reason.',
      type: 'counter',
      samples: rowsOf<Row>(signIns).map((r) => ({ labels: { realm: REALM_OF[String(r.sub_type)] ?? 'other', outcome: String(r.outcome), reason: String(r.reason) }, value: num(r.n) })),
    },
    {
      name: 'onramp_sms_messages_total',
      help: 'SMS Onramp tried to send (all instances), by delivery status and Twilio error code ("" = none). refused, undelivered and failed are failures.',
      type: 'counter',
      samples: rowsOf<Row>(sms).map((r) => ({ labels: { status: String(r.status), error_code: String(r.error_code) }, value: num(r.n) })),
    },
    {
      name: 'onramp_registration_code_redemptions_total',
      help: 'Registration code redemptions (all instances, from the event log), by outcome and refusal reason. Requests refused by the rate limit (429) are not counted.',
      type: 'counter',
      samples: rowsOf<Row>(redemptions).map((r) => ({ labels: { outcome: String(r.outcome), reason: String(r.reason) }, value: num(r.n) })),
    },
    {
      name: 'onramp_directory_sync_runs_total',
      help: 'Finished directory sync runs, by outcome (status), trigger and dry run.',
      type: 'counter',
      samples: rowsOf<Row>(runs).map((r) => ({ labels: { outcome: String(r.status), trigger: String(r.trigger), dry_run: String(r.dry_run) === 'true' }, value: num(r.n) })),
    },
    {
      name: 'onramp_directory_sync_duration_seconds_sum',
      help: 'Total duration of finished directory sync runs, by outcome, trigger and dry run.',
      type: 'counter',
      samples: rowsOf<Row>(runs).map((r) => ({ labels: { outcome: String(r.status), trigger: String(r.trigger), dry_run: String(r.dry_run) === 'true' }, value: Math.round(num(r.seconds) * 1000) / 1000 })),
    },
    {
      name: 'onramp_job_queue_depth',
      help: 'Work waiting: queued directory sync runs, and periodic jobs that are due but not yet claimed.',
      type: 'gauge',
      samples: [
        { labels: { queue: 'directory-sync' }, value: num(queue.queued) },
        { labels: { queue: 'scheduled-jobs' }, value: num(job.due) },
      ],
    },
    {
      name: 'onramp_jobs_running',
      help: 'Work running now on some instance: directory sync runs and claimed periodic jobs.',
      type: 'gauge',
      samples: [
        { labels: { queue: 'directory-sync' }, value: num(queue.running) },
        { labels: { queue: 'scheduled-jobs' }, value: num(job.running) },
      ],
    },
  ];
  return formatPrometheus(families);
}
