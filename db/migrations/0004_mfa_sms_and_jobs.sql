CREATE TYPE "public"."mfa_policy" AS ENUM('off', 'sms_required');--> statement-breakpoint
CREATE TYPE "public"."session_mfa_state" AS ENUM('none', 'pending', 'passed');--> statement-breakpoint
CREATE TYPE "public"."mfa_challenge_purpose" AS ENUM('sign_in', 'enrol', 'change_phone');--> statement-breakpoint
CREATE TYPE "public"."sms_status" AS ENUM('refused', 'accepted', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'dev_outbox');--> statement-breakpoint
CREATE TABLE "mfa_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid,
	"purpose" "mfa_challenge_purpose" NOT NULL,
	"phone_e_164" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"invalidated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"challenge_id" uuid,
	"purpose" text NOT NULL,
	"to_e_164" text NOT NULL,
	"transport" text NOT NULL,
	"twilio_sid" text,
	"status" "sms_status" NOT NULL,
	"error_code" integer,
	"error_message" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trusted_browsers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"user_agent" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scheduled_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_started_at" timestamp with time zone,
	"last_finished_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "mfa_policy" "mfa_policy" DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "mfa_remember_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "sms_allowed_countries" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "sms_sends_per_ip_per_hour" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "mfa_failures_per_ip_per_hour" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD COLUMN "mfa_state" "session_mfa_state" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD COLUMN "reauthenticated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mfa_challenges" ADD CONSTRAINT "mfa_challenges_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_challenges" ADD CONSTRAINT "mfa_challenges_session_id_auth_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."auth_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trusted_browsers" ADD CONSTRAINT "trusted_browsers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mfa_challenges_user_idx" ON "mfa_challenges" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "mfa_challenges_session_idx" ON "mfa_challenges" USING btree ("session_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_messages_twilio_sid_key" ON "sms_messages" USING btree ("twilio_sid");--> statement-breakpoint
CREATE INDEX "sms_messages_to_idx" ON "sms_messages" USING btree ("to_e_164","created_at");--> statement-breakpoint
CREATE INDEX "sms_messages_user_idx" ON "sms_messages" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "sms_messages_failed_idx" ON "sms_messages" USING btree ("created_at") WHERE "sms_messages"."status" in ('refused', 'undelivered', 'failed');--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_browsers_token_key" ON "trusted_browsers" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "trusted_browsers_user_idx" ON "trusted_browsers" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "account_settings" ADD CONSTRAINT "account_settings_mfa_remember_days" CHECK ("account_settings"."mfa_remember_days" between 0 and 30);--> statement-breakpoint
ALTER TABLE "account_settings" ADD CONSTRAINT "account_settings_sms_ip_caps" CHECK ("account_settings"."sms_sends_per_ip_per_hour" between 1 and 10000 and "account_settings"."mfa_failures_per_ip_per_hour" between 1 and 10000);