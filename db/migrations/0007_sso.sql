CREATE TABLE "sso_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"provider_name" text NOT NULL,
	"issuer_url" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text,
	"scopes" text DEFAULT 'openid email profile' NOT NULL,
	"email_claim" text DEFAULT 'email' NOT NULL,
	"username_claim" text DEFAULT 'preferred_username' NOT NULL,
	"allow_password_sign_in" boolean DEFAULT true NOT NULL,
	"create_users" boolean DEFAULT false NOT NULL,
	"require_sms_mfa" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_settings_single_row" CHECK ("sso_settings"."id" = 1)
);
