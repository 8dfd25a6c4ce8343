DROP INDEX "cancellations_status_index";--> statement-breakpoint
DROP INDEX "cancellations_created_at_index";