ALTER TABLE "batches" ADD COLUMN "started_by_type" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "started_by_id" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "started_by_name" text;--> statement-breakpoint
-- Runs started before this column existed were started by their uploader.
UPDATE "batches" SET "started_by_type" = "created_by_type", "started_by_id" = "created_by_id",
       "started_by_name" = "created_by_name"
 WHERE "status" <> 'draft';
