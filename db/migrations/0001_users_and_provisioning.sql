CREATE TYPE "public"."mfa_override" AS ENUM('default', 'required', 'exempt');--> statement-breakpoint
CREATE TYPE "public"."phone_status" AS ENUM('ok', 'country_assumed', 'missing_country_code', 'invalid', 'missing');--> statement-breakpoint
CREATE TYPE "public"."lifetime_unit" AS ENUM('hours', 'days');--> statement-breakpoint
CREATE TYPE "public"."provisioning_method" AS ENUM('invitation', 'registration_code');--> statement-breakpoint
CREATE TYPE "public"."registration_code_status" AS ENUM('valid', 'used', 'revoked', 'expired');--> statement-breakpoint
CREATE TYPE "public"."device_platform" AS ENUM('windows', 'macos', 'linux', 'ios', 'android');--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"platform" "device_platform" NOT NULL,
	"credential_hash" text NOT NULL,
	"registration_code_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "registration_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"lookup" text NOT NULL,
	"ciphertext" text NOT NULL,
	"status" "registration_code_status" DEFAULT 'valid' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"device_id" uuid
);
--> statement-breakpoint
CREATE TABLE "mfa_factors" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"phone_e_164" text,
	"verified_at" timestamp with time zone,
	"previous_phone_e_164" text,
	"failure_count" integer DEFAULT 0 NOT NULL,
	"locked_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "users_status_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_status" "phone_status" DEFAULT 'missing' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_raw" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_source" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "directory_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "directory_dn" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "mfa_override" "mfa_override" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "activated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "provisioning_method" "provisioning_method" DEFAULT 'invitation' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "invite_manual_users" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "invite_directory_users" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "notify_disabled_users" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "invitation_lifetime_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "code_lifetime_value" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "code_lifetime_unit" "lifetime_unit" DEFAULT 'days' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_settings" ADD COLUMN "code_length" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_codes" ADD CONSTRAINT "registration_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_factors" ADD CONSTRAINT "mfa_factors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_credential_key" ON "devices" USING btree ("credential_hash");--> statement-breakpoint
CREATE INDEX "devices_user_idx" ON "devices" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registration_codes_lookup_key" ON "registration_codes" USING btree ("lookup");--> statement-breakpoint
CREATE INDEX "registration_codes_user_idx" ON "registration_codes" USING btree ("user_id","status","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_directory_id_key" ON "users" USING btree ("directory_id");--> statement-breakpoint
CREATE INDEX "users_source_idx" ON "users" USING btree ("source","created_at","id");--> statement-breakpoint
CREATE INDEX "users_phone_status_idx" ON "users" USING btree ("phone_status");--> statement-breakpoint
CREATE INDEX "users_last_name_idx" ON "users" USING btree (lower("last_name"),lower("first_name"),"id");--> statement-breakpoint
CREATE INDEX "users_email_sort_idx" ON "users" USING btree (lower("email"),"id");--> statement-breakpoint
CREATE INDEX "users_email_prefix_idx" ON "users" USING btree (lower("email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_username_prefix_idx" ON "users" USING btree (lower("username") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_status_idx" ON "users" USING btree ("status","created_at","id");--> statement-breakpoint
ALTER TABLE "account_settings" ADD CONSTRAINT "account_settings_invitation_days" CHECK ("account_settings"."invitation_lifetime_days" between 1 and 30);--> statement-breakpoint
ALTER TABLE "account_settings" ADD CONSTRAINT "account_settings_code_lifetime" CHECK ("account_settings"."code_lifetime_value" >= 1 and (("account_settings"."code_lifetime_unit" = 'days' and "account_settings"."code_lifetime_value" <= 7) or ("account_settings"."code_lifetime_unit" = 'hours' and "account_settings"."code_lifetime_value" <= 168)));--> statement-breakpoint
ALTER TABLE "account_settings" ADD CONSTRAINT "account_settings_code_length" CHECK ("account_settings"."code_length" between 10 and 24);