import { z } from "zod";

export const retryNotificationSchema = z.object({ cancellationId: z.uuid("is not a cancellation id") });
export type RetryNotificationInput = z.infer<typeof retryNotificationSchema>;

export const retryDeadNotificationsSchema = z.object({ channelId: z.string().trim().min(1).max(100) });
export type RetryDeadNotificationsInput = z.infer<typeof retryDeadNotificationsSchema>;
