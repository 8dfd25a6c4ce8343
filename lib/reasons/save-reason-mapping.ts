import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cancellationReasons, channelReasonCodes, channels } from "@/db/schema";
import { type ActionResult, failure, success } from "@/lib/action-result";
import { auditSettingsChange, type SettingsChangeBy } from "@/lib/settings/audit-settings-change";
import { fieldFailure } from "./field-failure";
import { channelCodeProblem } from "./mapping";
import type { RemoveReasonMappingInput, SaveReasonMappingInput } from "./schemas";

export type ReasonMappingSaved = {
  channelId: string;
  channelName: string;
  reasonCode: string;
  /** The channel's code now; null once removed. */
  channelCode: string | null;
};

/**
 * Maps one of our reasons to a channel's code or text (or changes it): what a notification to the
 * channel carries (commerce `reasons`), and how the customer reasons of its cancel requests are read
 * back. One-to-one per channel, so a code another reason has on this channel is refused naming the
 * field; the commerce platform takes whole numbers only. The channel's row is locked, so two admins
 * mapping on one channel at once queue. The mapping and its audit event commit together.
 */
export async function saveReasonMapping(
  db: Db,
  input: SaveReasonMappingInput,
  by: SettingsChangeBy,
): Promise<ActionResult<ReasonMappingSaved>> {
  return db.transaction(async (tx): Promise<ActionResult<ReasonMappingSaved>> => {
    const [channel] = await tx
      .select({ id: channels.id, name: channels.name, connector: channels.connector })
      .from(channels)
      .where(eq(channels.id, input.channelId))
      .for("update");
    if (!channel) return failure("CHANNEL_NOT_FOUND", { channelId: input.channelId });
    const [reason] = await tx
      .select({ code: cancellationReasons.code })
      .from(cancellationReasons)
      .where(eq(cancellationReasons.code, input.reasonCode));
    if (!reason) return fieldFailure("reasonCode", `There is no reason with the code ${input.reasonCode}.`);
    const problem = channelCodeProblem(channel.connector, input.channelCode);
    if (problem) return fieldFailure("channelCode", `${problem}.`);

    const existing = await tx
      .select({ reasonCode: channelReasonCodes.reasonCode, channelCode: channelReasonCodes.channelCode })
      .from(channelReasonCodes)
      .where(eq(channelReasonCodes.channelId, channel.id));
    const taken = existing.find(
      (m) => m.channelCode === input.channelCode && m.reasonCode !== input.reasonCode,
    );
    if (taken) {
      return fieldFailure(
        "channelCode",
        `${channel.name} already has “${input.channelCode}” for ${taken.reasonCode}: each of its codes stands for one of our reasons.`,
      );
    }
    const before = existing.find((m) => m.reasonCode === input.reasonCode)?.channelCode ?? null;
    const saved = { channelId: channel.id, channelName: channel.name, reasonCode: input.reasonCode };
    if (before === input.channelCode) return success({ ...saved, channelCode: before });

    await tx
      .insert(channelReasonCodes)
      .values({ channelId: channel.id, reasonCode: input.reasonCode, channelCode: input.channelCode })
      .onConflictDoUpdate({
        target: [channelReasonCodes.channelId, channelReasonCodes.reasonCode],
        set: { channelCode: input.channelCode, updatedAt: new Date() },
      });
    await auditSettingsChange(tx, by, {
      target: `channel:${channel.id}`,
      setting: "reason_mapping",
      detail: {
        change: before === null ? "mapped" : "remapped",
        channel: channel.id,
        reasonCode: input.reasonCode,
        channelCode: { from: before, to: input.channelCode },
      },
    });
    return success({ ...saved, channelCode: input.channelCode });
  });
}

/**
 * Removes a reason's mapping on a channel: notifications then carry our code, and the channel's
 * code is no longer read back on its cancel requests. Removing a mapping that is not there changes
 * nothing and records nothing.
 */
export async function removeReasonMapping(
  db: Db,
  input: RemoveReasonMappingInput,
  by: SettingsChangeBy,
): Promise<ActionResult<ReasonMappingSaved>> {
  return db.transaction(async (tx): Promise<ActionResult<ReasonMappingSaved>> => {
    const [channel] = await tx
      .select({ id: channels.id, name: channels.name })
      .from(channels)
      .where(eq(channels.id, input.channelId))
      .for("update");
    if (!channel) return failure("CHANNEL_NOT_FOUND", { channelId: input.channelId });
    const [removed] = await tx
      .delete(channelReasonCodes)
      .where(
        and(
          eq(channelReasonCodes.channelId, channel.id),
          eq(channelReasonCodes.reasonCode, input.reasonCode),
        ),
      )
      .returning({ channelCode: channelReasonCodes.channelCode });
    if (removed) {
      await auditSettingsChange(tx, by, {
        target: `channel:${channel.id}`,
        setting: "reason_mapping",
        detail: {
          change: "unmapped",
          channel: channel.id,
          reasonCode: input.reasonCode,
          channelCode: { from: removed.channelCode, to: null },
        },
      });
    }
    return success({
      channelId: channel.id,
      channelName: channel.name,
      reasonCode: input.reasonCode,
      channelCode: null,
    });
  });
}
