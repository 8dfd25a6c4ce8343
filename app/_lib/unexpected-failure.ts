import "server-only";
import { randomUUID } from "node:crypto";

import { type ActionFailure, failure } from "@/lib/action-result";

/**
 * An unexpected error as an action result: logged in full with a request id, answered with a
 * sentence and that id only (never SQL or a stack).
 */
export function unexpectedFailure(error: unknown, what: string): ActionFailure {
  const requestId = randomUUID().slice(0, 8);
  console.error(`[${what}] request ${requestId} failed`, error);
  return failure("INTERNAL_ERROR", { what, reference: requestId });
}
