/**
 * Which channels need our reasons in their own words, and where one is missing. Pure: no database,
 * no next/*; the settings screen, the order page's warning and the save all read it, so they agree.
 *
 * How the mapping is used (lib/outbox/dispatcher.ts, lib/connectors/notification.ts):
 * - commerce: every notification carries `reasons: {"<item id>": <code>}` with the channel's code;
 *   the platform takes integers only. Without a mapping our own code is sent, and the platform
 *   refuses the call ("A valid integer is required"): the notification ends dead on Sync.
 * - manual channels that name reasons in their own words (the seller portal of seeds/002, told by
 *   people reading the panel): one mapping means the channel has its own vocabulary, so a reason
 *   without one is shown to those people only as our label.
 * - dropship: the API takes no reason on a cancel; its mappings only translate the customer
 *   reasons its cancel requests carry (lib/orders/cancel-requests.ts), so nothing is missing.
 * - manual channels without any mapping use our codes as they are.
 */

/** What a channel needs of a reason mapping: an integer code, a text, or nothing. */
export type MappingNeed = "integer" | "text";

export type MappingChannel = {
  id: string;
  name: string;
  connector: string;
  /** Our reason code -> the channel's code or text. */
  codes: Readonly<Record<string, string>>;
};

export type MappingProblem = {
  channelId: string;
  channelName: string;
  reasonCode: string;
  need: MappingNeed;
  /** `missing`: no mapping; `not_integer`: mapped to something the channel's API does not take. */
  problem: "missing" | "not_integer";
  /** The mapped code when there is one. */
  channelCode: string | null;
};

/** The commerce platform's reason codes: whole numbers (sent as JSON numbers, see commerceIdOf). */
const INTEGER_CODE = /^\d{1,15}$/;

export const CHANNEL_CODE_MAX = 100;

/** What the channel's connector needs of the mapping, or null when a reason without one is fine. */
export function mappingNeedOf(channel: Pick<MappingChannel, "connector" | "codes">): MappingNeed | null {
  if (channel.connector === "commerce") return "integer";
  if (channel.connector === "manual" && Object.keys(channel.codes).length > 0) return "text";
  return null;
}

/** What is wrong with one reason's mapping on one channel, or null when nothing is. */
export function mappingProblemOf(reasonCode: string, channel: MappingChannel): MappingProblem | null {
  const need = mappingNeedOf(channel);
  if (need === null) return null;
  const channelCode = channel.codes[reasonCode] ?? null;
  const base = { channelId: channel.id, channelName: channel.name, reasonCode, need, channelCode };
  if (channelCode === null) return { ...base, problem: "missing" };
  if (need === "integer" && !INTEGER_CODE.test(channelCode)) return { ...base, problem: "not_integer" };
  return null;
}

/**
 * The channels on which a cancellation with `reasonCode` would reach the channel without the code
 * or text it needs (the warning before a cancel, and per reason on the settings screen).
 */
export function unmappedChannels(reasonCode: string, channels: readonly MappingChannel[]): MappingProblem[] {
  return channels.flatMap((channel) => mappingProblemOf(reasonCode, channel) ?? []);
}

/** The active reasons a channel needs a mapping for and has none (or a wrong one), in the given order. */
export function unmappedReasons(
  channel: MappingChannel,
  reasons: readonly { code: string; active: boolean }[],
): MappingProblem[] {
  return reasons.flatMap((reason) => (reason.active ? (mappingProblemOf(reason.code, channel) ?? []) : []));
}

/**
 * Why a code typed for a channel cannot be saved, or null when it can: the commerce platform takes
 * whole numbers only.
 */
export function channelCodeProblem(connector: string, channelCode: string): string | null {
  if (connector === "commerce" && !INTEGER_CODE.test(channelCode)) {
    return "The commerce platform takes whole-number reason codes (such as 12)";
  }
  return null;
}

/** The problem in one sentence, for the settings screen and the cancel forms. */
export function mappingProblemMessage(problem: MappingProblem, reasonLabel?: string): string {
  const reason = reasonLabel ? `“${reasonLabel}” (${problem.reasonCode})` : problem.reasonCode;
  if (problem.problem === "not_integer") {
    return `${problem.channelName} takes whole-number reason codes, but ${reason} is mapped to “${problem.channelCode}”: the platform refuses the notification.`;
  }
  if (problem.need === "integer") {
    return `${problem.channelName} has no code for ${reason}: our code is sent instead, the platform refuses it, and the notification ends dead on Sync.`;
  }
  return `${problem.channelName} has no text of its own for ${reason}: the people who tell the channel see only our label.`;
}
