import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";
import { type ExceptionSteps, isResolved, stepsProblem } from "./exception-steps";

/**
 * Records the agent's progress on the compensation steps of a shipped-after-cancellation
 * exception. Steps are kept in order (stepsProblem); the exception is resolved when every step is
 * done and the credit memo is recorded, and reopens if a step is unticked.
 */
export async function updateExceptionSteps(
  db: Db,
  input: { orderId: string; exceptionId: string; steps: ExceptionSteps; actor: Actor; audit?: ChangeAudit },
): Promise<Result<{ resolved: boolean }>> {
  const problem = stepsProblem(input.steps);
  if (problem) return fail("INVALID_INPUT", { problem });
  const resolved = isResolved(input.steps);
  return db.transaction(async (tx) => {
    const updated = await tx.execute<{ id: string }>(sql`
      UPDATE order_exceptions
         SET steps = ${JSON.stringify(input.steps)}::jsonb,
             resolved_at = CASE WHEN ${resolved} THEN coalesce(resolved_at, now()) ELSE NULL END,
             updated_at = now()
       WHERE id = ${input.exceptionId} AND order_id = ${input.orderId}
       RETURNING id`);
    if (updated.rows.length === 0) return fail("EXCEPTION_NOT_FOUND", { orderId: input.orderId });
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "order_exception.update",
      target: input.orderId,
      outcome: "success",
      detail: { exceptionId: input.exceptionId, steps: input.steps, resolved },
    });
    return ok({ resolved });
  });
}
