import "server-only";
import type { Db } from "@/db/client";
import type { ReasonRow } from "@/db/queries/reasons";
import { cancellationReasons } from "@/db/schema";
import { type ActionResult, success } from "@/lib/action-result";
import { auditSettingsChange, type SettingsChangeBy } from "@/lib/settings/audit-settings-change";
import { fieldFailure } from "./field-failure";
import type { AddReasonInput } from "./schemas";

/**
 * Adds a reason people can pick (never an automatic one: those belong to the system). A code that
 * exists already, active or not, is refused naming the field: codes are never reused, since the
 * ledger keeps every code it was given. The reason and its audit event commit together.
 */
export async function addReason(
  db: Db,
  input: AddReasonInput,
  by: SettingsChangeBy,
): Promise<ActionResult<ReasonRow>> {
  return db.transaction(async (tx): Promise<ActionResult<ReasonRow>> => {
    const [added] = await tx
      .insert(cancellationReasons)
      .values({ code: input.code, label: input.label, initiator: input.initiator, active: true })
      .onConflictDoNothing({ target: cancellationReasons.code })
      .returning({
        code: cancellationReasons.code,
        label: cancellationReasons.label,
        initiator: cancellationReasons.initiator,
        active: cancellationReasons.active,
      });
    if (!added) {
      return fieldFailure(
        "code",
        `A reason with the code ${input.code} exists already (codes are never reused): choose another code.`,
      );
    }
    await auditSettingsChange(tx, by, {
      target: `reason:${added.code}`,
      setting: "reason",
      detail: { change: "added", code: added.code, label: added.label, initiator: added.initiator },
    });
    return success(added);
  });
}
