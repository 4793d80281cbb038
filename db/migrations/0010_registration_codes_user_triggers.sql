ALTER TABLE "registration_codes" DROP CONSTRAINT "registration_codes_user_id_users_id_fk";--> statement-breakpoint
-- registration_codes.user_id keeps what the foreign key gave (every code's user exists; deleting a user
-- deletes their codes) with statement-level triggers: the foreign key checked and locked the user once
-- per inserted row, a fifth of the cost of generating 100,000 codes; these check once per statement.
-- Inserts and user deletions meet on advisory lock 7216452011 (every inserting statement takes it
-- shared, every deleting statement exclusive, both until their transaction ends), so a user can't be
-- deleted between the check and the commit of codes given to them, nor codes given to a user whose
-- deletion is on its way: whichever comes second waits, then sees the other's outcome.
CREATE FUNCTION "onramp_registration_codes_users_exist"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7216452011);
  IF EXISTS (SELECT 1 FROM new_codes n WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.user_id)) THEN
    RAISE EXCEPTION 'insert on table "registration_codes" violates its reference to "users": no such user'
      USING ERRCODE = 'foreign_key_violation', TABLE = 'registration_codes', CONSTRAINT = 'registration_codes_user_id_users_id_fk';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "registration_codes_users_exist" AFTER INSERT ON "registration_codes" REFERENCING NEW TABLE AS new_codes FOR EACH STATEMENT EXECUTE FUNCTION "onramp_registration_codes_users_exist"();--> statement-breakpoint
CREATE FUNCTION "onramp_registration_codes_user_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a registration code''s user never changes' USING ERRCODE = 'foreign_key_violation', TABLE = 'registration_codes';
END
$$;--> statement-breakpoint
CREATE TRIGGER "registration_codes_user_fixed" BEFORE UPDATE OF "user_id" ON "registration_codes" FOR EACH ROW WHEN (OLD."user_id" IS DISTINCT FROM NEW."user_id") EXECUTE FUNCTION "onramp_registration_codes_user_fixed"();--> statement-breakpoint
CREATE FUNCTION "onramp_users_delete_registration_codes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7216452011);
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE "registration_codes";
  ELSE
    DELETE FROM "registration_codes" c USING old_users o WHERE c.user_id = o.id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "users_delete_registration_codes" AFTER DELETE ON "users" REFERENCING OLD TABLE AS old_users FOR EACH STATEMENT EXECUTE FUNCTION "onramp_users_delete_registration_codes"();--> statement-breakpoint
CREATE TRIGGER "users_truncate_registration_codes" AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "onramp_users_delete_registration_codes"();
