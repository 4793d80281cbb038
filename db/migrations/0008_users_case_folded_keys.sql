CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ((lower("email") collate "C"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ((lower("username") collate "C"));--> statement-breakpoint
CREATE INDEX "users_phone_problem_idx" ON "users" USING btree ("phone_status") WHERE "users"."phone_status" <> 'ok';--> statement-breakpoint
DROP INDEX "users_email_lower_key";--> statement-breakpoint
DROP INDEX "users_username_lower_key";--> statement-breakpoint
DROP INDEX "users_phone_status_idx";--> statement-breakpoint
DROP INDEX "users_email_sort_idx";--> statement-breakpoint
DROP INDEX "users_email_prefix_idx";--> statement-breakpoint
DROP INDEX "users_username_prefix_idx";
