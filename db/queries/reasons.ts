import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { cancellationReasons, channelReasonCodes, channels, REASON_INITIATORS } from "@/db/schema";
import { type MappingChannel, type MappingProblem, mappingProblemOf } from "@/lib/reasons/mapping";

export type ReasonRow = {
  code: string;
  label: string;
  initiator: (typeof REASON_INITIATORS)[number];
  active: boolean;
};

/** Every reason, active or not (Settings → Reasons): by initiator, active first, then by label. */
export async function listReasons(db: DbOrTx): Promise<ReasonRow[]> {
  const rows = await db
    .select({
      code: cancellationReasons.code,
      label: cancellationReasons.label,
      initiator: cancellationReasons.initiator,
      active: cancellationReasons.active,
    })
    .from(cancellationReasons)
    .orderBy(sql`${cancellationReasons.active} DESC`, asc(cancellationReasons.label));
  const rank = (initiator: string) => REASON_INITIATORS.indexOf(initiator as ReasonRow["initiator"]);
  return rows.sort((a, b) => rank(a.initiator) - rank(b.initiator));
}

/** Every channel with its connector and its reason mapping (our code -> the channel's), by name. */
export async function listReasonMappingChannels(db: DbOrTx): Promise<MappingChannel[]> {
  const [channelRows, mappings] = await Promise.all([
    db
      .select({ id: channels.id, name: channels.name, connector: channels.connector })
      .from(channels)
      .orderBy(asc(channels.name)),
    db
      .select({
        channelId: channelReasonCodes.channelId,
        reasonCode: channelReasonCodes.reasonCode,
        channelCode: channelReasonCodes.channelCode,
      })
      .from(channelReasonCodes),
  ]);
  return channelRows.map((channel) => ({
    ...channel,
    codes: Object.fromEntries(
      mappings.filter((m) => m.channelId === channel.id).map((m) => [m.reasonCode, m.channelCode]),
    ),
  }));
}

export type ReasonMappingWarning = MappingProblem & { reasonLabel: string };

/**
 * What a cancellation of one channel's order with `reasonCode` would lack on the way to the
 * channel (lib/reasons/mapping.ts), or null when nothing: the warning beside a cancel form.
 */
export async function getReasonMappingWarning(
  db: DbOrTx,
  target: { channelId: string; reasonCode: string },
): Promise<ReasonMappingWarning | null> {
  const [[channel], [reason], mappings] = await Promise.all([
    db
      .select({ id: channels.id, name: channels.name, connector: channels.connector })
      .from(channels)
      .where(eq(channels.id, target.channelId)),
    db
      .select({ label: cancellationReasons.label })
      .from(cancellationReasons)
      .where(eq(cancellationReasons.code, target.reasonCode)),
    db
      .select({ reasonCode: channelReasonCodes.reasonCode, channelCode: channelReasonCodes.channelCode })
      .from(channelReasonCodes)
      .where(eq(channelReasonCodes.channelId, target.channelId)),
  ]);
  if (!channel || !reason) return null;
  const problem = mappingProblemOf(target.reasonCode, {
    ...channel,
    codes: Object.fromEntries(mappings.map((m) => [m.reasonCode, m.channelCode])),
  });
  return problem ? { ...problem, reasonLabel: reason.label } : null;
}
