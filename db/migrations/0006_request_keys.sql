ALTER TABLE "cancellations" ADD COLUMN "request_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "cancellations_actor_id_request_key_index" ON "cancellations" USING btree ("actor_id","request_key") WHERE "cancellations"."request_key" IS NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION cancellations_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'cancellations ledger is append-only: delete refused';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.sub_order_id IS DISTINCT FROM OLD.sub_order_id
     OR NEW.mode IS DISTINCT FROM OLD.mode OR NEW.reason_code IS DISTINCT FROM OLD.reason_code
     OR NEW.source IS DISTINCT FROM OLD.source OR NEW.actor_type IS DISTINCT FROM OLD.actor_type
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.batch_id IS DISTINCT FROM OLD.batch_id
     OR NEW.request_key IS DISTINCT FROM OLD.request_key
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'cancellations ledger is append-only: only status may change';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND OLD.status <> 'PENDING' THEN
    RAISE EXCEPTION 'cancellation % is already %', OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
