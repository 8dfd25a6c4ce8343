CREATE TABLE "idempotency_keys" (
	"owner_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"state" text NOT NULL,
	"locked_until" timestamp with time zone,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_owner_id_key_pk" PRIMARY KEY("owner_id","key")
);
--> statement-breakpoint
ALTER TABLE "cancellations" ADD COLUMN "partial" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cancellations" ADD COLUMN "ask_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cancellations" ADD COLUMN "next_ask_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cancellations" ADD COLUMN "last_ask_error" text;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_index" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "batch_items_claimable_idx" ON "batch_items" USING btree ("batch_id","seq") WHERE "batch_items"."status" = 'PENDING' AND "batch_items"."cancellation_id" IS NULL;--> statement-breakpoint
CREATE INDEX "batch_items_cancellation_id_index" ON "batch_items" USING btree ("cancellation_id");--> statement-breakpoint
CREATE INDEX "cancellations_ask_due_idx" ON "cancellations" USING btree ("next_ask_at") WHERE "cancellations"."status" = 'PENDING';--> statement-breakpoint
-- Entries already waiting for their warehouse are asked again by the sweep from now on.
UPDATE "cancellations" SET "next_ask_at" = "created_at" WHERE "status" = 'PENDING';--> statement-breakpoint
-- The ledger stays append-only: its facts never change (now including `partial`), a PENDING entry
-- may record how often its warehouse was asked, and a resolved entry never changes again.
CREATE OR REPLACE FUNCTION cancellations_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'cancellations ledger is append-only: delete refused';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.sub_order_id IS DISTINCT FROM OLD.sub_order_id
     OR NEW.mode IS DISTINCT FROM OLD.mode OR NEW.reason_code IS DISTINCT FROM OLD.reason_code
     OR NEW.source IS DISTINCT FROM OLD.source OR NEW.actor_type IS DISTINCT FROM OLD.actor_type
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.batch_id IS DISTINCT FROM OLD.batch_id
     OR NEW.request_key IS DISTINCT FROM OLD.request_key OR NEW.partial IS DISTINCT FROM OLD.partial
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'cancellations ledger is append-only: only status may change';
  END IF;
  IF OLD.status <> 'PENDING' THEN
    RAISE EXCEPTION 'cancellation % is already %', OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
