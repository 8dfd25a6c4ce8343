"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import {
  approveCancelRequest,
  approveLineSchema,
  decisionNoteSchema,
  rejectCancelRequest,
} from "@/lib/orders/cancel-request-decisions";

const REVALIDATE = ["/cancel-requests", "/orders"] as const;

/**
 * Approves a customer cancel request: cancels what it asks for, or the agent's narrower choice,
 * with the customer's reason. A sub-order the rules or its warehouse refuse is an outcome, not a
 * failure of the action.
 */
export const approveCancelRequestAction = defineAction(
  {
    schema: z.object({
      id: z.uuid("The request is missing"),
      lines: z.array(approveLineSchema).min(1, "Keep at least one line").max(500).optional(),
    }),
    permission: "requests:decide",
    audit: "cancel_request.approve",
    doing: "approving the cancel request",
    revalidate: REVALIDATE,
  },
  async ({ id, lines }, { actor, audit }) => {
    const result = await approveCancelRequest(getDb(), {
      id,
      lines,
      actor: { type: actor.type, id: actor.id },
      audit,
    });
    return result.ok ? success({ outcomes: result.value.outcomes }) : failureOf(result.error);
  },
);

/** Rejects a customer cancel request with the note the channel (and the customer) reads. */
export const rejectCancelRequestAction = defineAction(
  {
    schema: z.object({ id: z.uuid("The request is missing"), note: decisionNoteSchema }),
    permission: "requests:decide",
    audit: "cancel_request.reject",
    doing: "rejecting the cancel request",
    revalidate: REVALIDATE,
  },
  async ({ id, note }, { actor, audit }) => {
    const result = await rejectCancelRequest(getDb(), {
      id,
      note,
      actor: { type: actor.type, id: actor.id },
      audit,
    });
    return result.ok ? success({ state: result.value.request.state }) : failureOf(result.error);
  },
);
