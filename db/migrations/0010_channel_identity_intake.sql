CREATE TABLE "cancel_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" text NOT NULL,
	"channel_request_id" text NOT NULL,
	"order_id" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"reason_code" text NOT NULL,
	"customer_reason" text NOT NULL,
	"lines" jsonb,
	"fingerprint" text NOT NULL,
	"note" text,
	"decided_by_type" text,
	"decided_by_id" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cancel_requests_decided" CHECK (("cancel_requests"."state" IN ('open', 'expired')) = ("cancel_requests"."decided_at" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "channel_reason_codes" (
	"channel_id" text NOT NULL,
	"reason_code" text NOT NULL,
	"channel_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_reason_codes_channel_id_reason_code_pk" PRIMARY KEY("channel_id","reason_code")
);
--> statement-breakpoint
CREATE TABLE "line_item_channel_ids" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "line_item_channel_ids_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"line_item_id" integer NOT NULL,
	"channel_item_id" text NOT NULL,
	"replaced_by" text NOT NULL,
	"cancellation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" text NOT NULL,
	"sub_order_id" text NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb NOT NULL,
	"warehouse_event_id" bigint,
	"steps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warehouse_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warehouse_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"warehouse_id" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"sub_order_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"body" jsonb NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "partial_quantities" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "cargo_refund" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "line_items" ADD COLUMN "channel_item_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "channel_order_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "currency" text;--> statement-breakpoint
-- Orders from before the intake: the display number was all we had, and every amount was rupees.
UPDATE "orders" SET "channel_order_id" = "channel_order_no", "currency" = 'INR';--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "channel_order_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "currency" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_notifications" ADD COLUMN "order_id" text;--> statement-breakpoint
UPDATE "channel_notifications" AS n SET "order_id" = so."order_id"
  FROM "cancellations" c JOIN "sub_orders" so ON so."id" = c."sub_order_id"
 WHERE c."id" = n."cancellation_id";--> statement-breakpoint
ALTER TABLE "channel_notifications" ALTER COLUMN "order_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_notifications" ADD COLUMN "progress" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cancel_requests" ADD CONSTRAINT "cancel_requests_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancel_requests" ADD CONSTRAINT "cancel_requests_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancel_requests" ADD CONSTRAINT "cancel_requests_reason_code_cancellation_reasons_code_fk" FOREIGN KEY ("reason_code") REFERENCES "public"."cancellation_reasons"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_reason_codes" ADD CONSTRAINT "channel_reason_codes_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_reason_codes" ADD CONSTRAINT "channel_reason_codes_reason_code_cancellation_reasons_code_fk" FOREIGN KEY ("reason_code") REFERENCES "public"."cancellation_reasons"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_item_channel_ids" ADD CONSTRAINT "line_item_channel_ids_line_item_id_line_items_id_fk" FOREIGN KEY ("line_item_id") REFERENCES "public"."line_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_item_channel_ids" ADD CONSTRAINT "line_item_channel_ids_cancellation_id_cancellations_id_fk" FOREIGN KEY ("cancellation_id") REFERENCES "public"."cancellations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_exceptions" ADD CONSTRAINT "order_exceptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_exceptions" ADD CONSTRAINT "order_exceptions_sub_order_id_sub_orders_id_fk" FOREIGN KEY ("sub_order_id") REFERENCES "public"."sub_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_exceptions" ADD CONSTRAINT "order_exceptions_warehouse_event_id_warehouse_events_id_fk" FOREIGN KEY ("warehouse_event_id") REFERENCES "public"."warehouse_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warehouse_events" ADD CONSTRAINT "warehouse_events_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cancel_requests_channel_id_channel_request_id_index" ON "cancel_requests" USING btree ("channel_id","channel_request_id");--> statement-breakpoint
CREATE INDEX "cancel_requests_state_created_at_index" ON "cancel_requests" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "cancel_requests_order_id_index" ON "cancel_requests" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_reason_codes_channel_id_channel_code_index" ON "channel_reason_codes" USING btree ("channel_id","channel_code");--> statement-breakpoint
CREATE INDEX "line_item_channel_ids_line_item_id_index" ON "line_item_channel_ids" USING btree ("line_item_id");--> statement-breakpoint
CREATE INDEX "order_exceptions_order_id_index" ON "order_exceptions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_exceptions_resolved_at_index" ON "order_exceptions" USING btree ("resolved_at");--> statement-breakpoint
CREATE UNIQUE INDEX "warehouse_events_warehouse_id_event_id_index" ON "warehouse_events" USING btree ("warehouse_id","event_id");--> statement-breakpoint
CREATE INDEX "warehouse_events_sub_order_id_created_at_index" ON "warehouse_events" USING btree ("sub_order_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_channel_id_channel_order_id_index" ON "orders" USING btree ("channel_id","channel_order_id");--> statement-breakpoint
CREATE INDEX "channel_notifications_order_id_created_at_index" ON "channel_notifications" USING btree ("order_id","created_at");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_currency_iso" CHECK ("orders"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
-- The reason automatic fill-or-kill cancellations carry; every deployment needs it.
INSERT INTO "cancellation_reasons" ("code", "label", "initiator")
VALUES ('FILL_OR_KILL', 'Rest of a partly shipped line (fill or kill)', 'automatic')
ON CONFLICT ("code") DO NOTHING;