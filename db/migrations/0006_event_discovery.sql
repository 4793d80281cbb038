DROP INDEX "events_type_idx";--> statement-breakpoint
DROP INDEX "events_subject_user_idx";--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "event_retention_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
CREATE INDEX "events_type_time_idx" ON "events" USING btree ("type","occurred_at","id");--> statement-breakpoint
CREATE INDEX "events_sub_type_time_idx" ON "events" USING btree ("type","sub_type","occurred_at","id");--> statement-breakpoint
CREATE INDEX "events_actor_time_idx" ON "events" USING btree (lower("actor_label"),"occurred_at","id");--> statement-breakpoint
CREATE INDEX "events_ip_time_idx" ON "events" USING btree ("ip","occurred_at","id");--> statement-breakpoint
CREATE INDEX "events_failure_time_idx" ON "events" USING btree ("occurred_at","id") WHERE "events"."outcome" = 'failure';--> statement-breakpoint
CREATE INDEX "events_subject_user_idx" ON "events" USING btree ("subject_user_id","occurred_at","id");--> statement-breakpoint
ALTER TABLE "account_settings" ADD CONSTRAINT "account_settings_event_retention" CHECK ("account_settings"."event_retention_days" between 7 and 3650);--> statement-breakpoint
-- The audit log is append-only: no UPDATE, no TRUNCATE, and DELETE only from the retention job, which sets
-- onramp.event_retention = 'on' for its own transaction (lib/events/prune-events.ts).
CREATE FUNCTION "onramp_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('onramp.event_retention', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the events table is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "events" FOR EACH STATEMENT EXECUTE FUNCTION "onramp_events_append_only"();
