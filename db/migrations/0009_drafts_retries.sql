ALTER TABLE "batch_items" ALTER COLUMN "reason_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "parent_batch_id" uuid;--> statement-breakpoint
ALTER TABLE "cancellations" ADD COLUMN "maybe_sent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_parent_batch_id_batches_id_fk" FOREIGN KEY ("parent_batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Entries waiting from before this column existed may have reached their warehouse: never given up.
UPDATE "cancellations" SET "maybe_sent" = true WHERE "status" = 'PENDING';
