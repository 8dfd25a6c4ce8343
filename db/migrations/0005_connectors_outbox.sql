CREATE TABLE "channel_notifications" (
	"cancellation_id" uuid PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
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
ALTER TABLE "channels" ADD COLUMN "credentials_encrypted" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "timeout_ms" integer DEFAULT 5000 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "max_attempts" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "credentials_rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "credentials_encrypted" text;--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "timeout_ms" integer DEFAULT 5000 NOT NULL;--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "max_attempts" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "credentials_rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "channel_notifications" ADD CONSTRAINT "channel_notifications_cancellation_id_cancellations_id_fk" FOREIGN KEY ("cancellation_id") REFERENCES "public"."cancellations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_notifications" ADD CONSTRAINT "channel_notifications_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_notifications_due_idx" ON "channel_notifications" USING btree ("next_attempt_at") WHERE "channel_notifications"."state" IN ('pending', 'retrying');--> statement-breakpoint
CREATE INDEX "channel_notifications_state_channel_id_index" ON "channel_notifications" USING btree ("state","channel_id");