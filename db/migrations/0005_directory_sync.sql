CREATE TYPE "public"."directory_sync_action" AS ENUM('create', 'update', 'disable', 'reenable', 'skip', 'phone_problem');--> statement-breakpoint
CREATE TYPE "public"."directory_sync_phase" AS ENUM('queued', 'connecting', 'searching', 'comparing', 'applying', 'done');--> statement-breakpoint
CREATE TYPE "public"."directory_sync_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'waiting_approval', 'approved');--> statement-breakpoint
CREATE TYPE "public"."directory_sync_trigger" AS ENUM('manual', 'schedule');--> statement-breakpoint
CREATE TABLE "directory_disabled_users" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"disabled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"url" text NOT NULL,
	"start_tls" boolean DEFAULT false NOT NULL,
	"ca_pem" text,
	"bind_dn" text DEFAULT '' NOT NULL,
	"bind_secret_encrypted" text,
	"base_dn" text NOT NULL,
	"user_filter" text DEFAULT '(objectClass=inetOrgPerson)' NOT NULL,
	"group_dn" text,
	"id_attribute" text DEFAULT 'entryUUID' NOT NULL,
	"username_attribute" text DEFAULT 'uid' NOT NULL,
	"email_attribute" text DEFAULT 'mail' NOT NULL,
	"first_name_attribute" text DEFAULT 'givenName' NOT NULL,
	"last_name_attribute" text DEFAULT 'sn' NOT NULL,
	"phone_attributes" text[] DEFAULT '{mobile,telephoneNumber}'::text[] NOT NULL,
	"default_region" text,
	"schedule_minutes" integer,
	"next_scheduled_at" timestamp with time zone,
	"connect_timeout_seconds" integer DEFAULT 10 NOT NULL,
	"operation_timeout_seconds" integer DEFAULT 60 NOT NULL,
	"page_size" integer DEFAULT 500 NOT NULL,
	"disable_threshold_percent" integer DEFAULT 10 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_settings_single_row" CHECK ("directory_settings"."id" = 1),
	CONSTRAINT "directory_settings_schedule" CHECK ("directory_settings"."schedule_minutes" is null or "directory_settings"."schedule_minutes" between 5 and 10080),
	CONSTRAINT "directory_settings_timeouts" CHECK ("directory_settings"."connect_timeout_seconds" between 1 and 300 and "directory_settings"."operation_timeout_seconds" between 1 and 3600),
	CONSTRAINT "directory_settings_page_size" CHECK ("directory_settings"."page_size" between 1 and 5000),
	CONSTRAINT "directory_settings_threshold" CHECK ("directory_settings"."disable_threshold_percent" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "directory_sync_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"action" "directory_sync_action" NOT NULL,
	"user_id" uuid,
	"directory_id" text,
	"dn" text,
	"username" text,
	"email" text,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"record" jsonb,
	"phone_source" text,
	"phone_status" text,
	"phone_raw" text,
	"reason" text,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "directory_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" "directory_sync_trigger" NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"approves_run_id" uuid,
	"approved_disables" integer,
	"status" "directory_sync_status" DEFAULT 'queued' NOT NULL,
	"phase" "directory_sync_phase" DEFAULT 'queued' NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text,
	"requested_by_label" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"entries_read" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"disabled" integer DEFAULT 0 NOT NULL,
	"reenabled" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"phone_problems" integer DEFAULT 0 NOT NULL,
	"directory_users_before" integer,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "directory_disabled_users" ADD CONSTRAINT "directory_disabled_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_sync_changes" ADD CONSTRAINT "directory_sync_changes_run_id_directory_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."directory_sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_sync_changes_run_idx" ON "directory_sync_changes" USING btree ("run_id","id");--> statement-breakpoint
CREATE INDEX "directory_sync_changes_run_action_idx" ON "directory_sync_changes" USING btree ("run_id","action","id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_sync_runs_one_running" ON "directory_sync_runs" USING btree ("status") WHERE "directory_sync_runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "directory_sync_runs_queue_idx" ON "directory_sync_runs" USING btree ("status","requested_at","id");--> statement-breakpoint
CREATE INDEX "directory_sync_runs_requested_idx" ON "directory_sync_runs" USING btree ("requested_at","id");