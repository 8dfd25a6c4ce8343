-- The cancellations ledger is append-only: entries are never deleted, their facts never change,
-- and status moves once from PENDING to CONFIRMED or REJECTED.
CREATE OR REPLACE FUNCTION cancellations_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'cancellations ledger is append-only: delete refused';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.sub_order_id IS DISTINCT FROM OLD.sub_order_id
     OR NEW.mode IS DISTINCT FROM OLD.mode OR NEW.reason_code IS DISTINCT FROM OLD.reason_code
     OR NEW.source IS DISTINCT FROM OLD.source OR NEW.actor_type IS DISTINCT FROM OLD.actor_type
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.batch_id IS DISTINCT FROM OLD.batch_id
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'cancellations ledger is append-only: only status may change';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND OLD.status <> 'PENDING' THEN
    RAISE EXCEPTION 'cancellation % is already %', OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cancellations_append_only BEFORE UPDATE OR DELETE ON cancellations
  FOR EACH ROW EXECUTE FUNCTION cancellations_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cancellation_lines_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'cancellation_lines is insert-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cancellation_lines_insert_only BEFORE UPDATE OR DELETE ON cancellation_lines
  FOR EACH ROW EXECUTE FUNCTION cancellation_lines_guard();
