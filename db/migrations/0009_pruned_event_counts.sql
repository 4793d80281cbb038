CREATE TABLE "pruned_event_counts" (
	"type" text NOT NULL,
	"sub_type" text NOT NULL,
	"outcome" "event_outcome" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "pruned_event_counts_type_sub_type_outcome_reason_pk" PRIMARY KEY("type","sub_type","outcome","reason")
);
