import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { ReasonRow } from "@/db/queries/reasons";
import { cancellationReasons } from "@/db/schema";
import { type ActionResult, success } from "@/lib/action-result";
import { auditSettingsChange, type SettingsChangeBy } from "@/lib/settings/audit-settings-change";
import { lockEditableReason } from "./rename-reason";
import type { SetReasonActiveInput } from "./schemas";

/**
 * Deactivates or reactivates a reason; a reason is never deleted. An inactive reason leaves the
 * selects and is refused by new cancellations (the service reads the active reasons each time),
 * while the ledger entries, channel mappings and cancel requests that carry it keep it. The
 * change and its audit event commit together.
 */
export async function setReasonActive(
  db: Db,
  input: SetReasonActiveInput,
  by: SettingsChangeBy,
): Promise<ActionResult<ReasonRow>> {
  return db.transaction(async (tx): Promise<ActionResult<ReasonRow>> => {
    const locked = await lockEditableReason(tx, input.code);
    if (!locked.ok) return locked.failure;
    const { reason } = locked;
    if (reason.active === input.active) return success(reason);
    await tx
      .update(cancellationReasons)
      .set({ active: input.active, updatedAt: new Date() })
      .where(eq(cancellationReasons.code, input.code));
    await auditSettingsChange(tx, by, {
      target: `reason:${reason.code}`,
      setting: "reason",
      detail: {
        change: input.active ? "reactivated" : "deactivated",
        code: reason.code,
        label: reason.label,
      },
    });
    return success({ ...reason, active: input.active });
  });
}
