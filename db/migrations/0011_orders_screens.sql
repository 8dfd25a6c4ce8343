CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" text NOT NULL,
	"cancel_request_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "webhook_secret_encrypted" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_cancel_request_id_cancel_requests_id_fk" FOREIGN KEY ("cancel_request_id") REFERENCES "public"."cancel_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."state" IN ('pending', 'retrying');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_cancel_request_id_index" ON "webhook_deliveries" USING btree ("cancel_request_id");--> statement-breakpoint
CREATE INDEX "line_items_sku_prefix_idx" ON "line_items" USING btree ("sku" text_pattern_ops,"sub_order_id");--> statement-breakpoint
CREATE INDEX "orders_created_at_id_idx" ON "orders" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_channel_order_no_prefix_idx" ON "orders" USING btree ("channel_order_no" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orders_channel_order_id_prefix_idx" ON "orders" USING btree ("channel_order_id" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orders_customer_name_prefix_idx" ON "orders" USING btree (lower("customer_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "sub_orders_id_prefix_idx" ON "sub_orders" USING btree ("id" text_pattern_ops);--> statement-breakpoint
-- The derived status of a sub-order or an order from the sums of its lines: the SQL twin of
-- deriveSubOrderStatus (lib/cancellation/status.ts), kept equal by a property test, so that the
-- Orders screen can filter by status without storing a second truth.
CREATE FUNCTION derived_status(ordered bigint, cancelled bigint, fulfilled bigint, processing bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN ordered > 0 AND cancelled = ordered THEN 'cancelled'
    WHEN fulfilled > 0 THEN CASE WHEN fulfilled = ordered - cancelled THEN 'shipped' ELSE 'partially_shipped' END
    WHEN processing > 0 THEN 'in_processing'
    WHEN cancelled > 0 THEN 'partially_cancelled'
    ELSE 'open'
  END
$$;
