CREATE TABLE "batch_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "batch_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"batch_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"sub_order_id" text NOT NULL,
	"reason_code" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"error_code" text,
	"error_message" text,
	"units_cancelled" integer,
	"cancellation_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_rows" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "batch_rows_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"batch_id" uuid NOT NULL,
	"item_id" integer NOT NULL,
	"row_number" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"sku" text,
	"quantity" integer,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_rows_row_number_positive" CHECK ("batch_rows"."row_number" > 0)
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"headers" jsonb NOT NULL,
	"reason_code" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_by_name" text NOT NULL,
	"total_items" integer NOT NULL,
	"total_rows" integer NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_cancellation_id_cancellations_id_fk" FOREIGN KEY ("cancellation_id") REFERENCES "public"."cancellations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_rows" ADD CONSTRAINT "batch_rows_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_rows" ADD CONSTRAINT "batch_rows_item_id_batch_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."batch_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_reason_code_cancellation_reasons_code_fk" FOREIGN KEY ("reason_code") REFERENCES "public"."cancellation_reasons"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batch_items_batch_id_seq_index" ON "batch_items" USING btree ("batch_id","seq");--> statement-breakpoint
CREATE INDEX "batch_items_pending_idx" ON "batch_items" USING btree ("batch_id","seq") WHERE "batch_items"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "batch_items_sub_order_id_index" ON "batch_items" USING btree ("sub_order_id");--> statement-breakpoint
CREATE INDEX "batch_items_batch_id_processed_at_index" ON "batch_items" USING btree ("batch_id","processed_at");--> statement-breakpoint
CREATE INDEX "batch_rows_batch_id_row_number_index" ON "batch_rows" USING btree ("batch_id","row_number");--> statement-breakpoint
CREATE INDEX "batch_rows_item_id_index" ON "batch_rows" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "batches_created_at_index" ON "batches" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "batches_file_sha256_index" ON "batches" USING btree ("file_sha256");--> statement-breakpoint
CREATE INDEX "batches_status_index" ON "batches" USING btree ("status");