import { z } from "zod";
import { idText } from "@/lib/validation/text";

export const retryNotificationSchema = z.object({ cancellationId: z.uuid("is not a cancellation id") });
export type RetryNotificationInput = z.infer<typeof retryNotificationSchema>;

export const retryDeadNotificationsSchema = z.object({ channelId: idText() });
export type RetryDeadNotificationsInput = z.infer<typeof retryDeadNotificationsSchema>;
