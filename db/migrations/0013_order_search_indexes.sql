DROP INDEX "sub_orders_order_id_index";--> statement-breakpoint
DROP INDEX "orders_created_at_id_idx";--> statement-breakpoint
DROP INDEX "orders_channel_order_no_prefix_idx";--> statement-breakpoint
CREATE INDEX "orders_channel_id_order_no_idx" ON "orders" USING btree ("channel_id","channel_order_no" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "sub_orders_order_id_id_index" ON "sub_orders" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "orders_created_at_id_idx" ON "orders" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "orders_channel_order_no_prefix_idx" ON "orders" USING btree ("channel_order_no" text_pattern_ops,"id");