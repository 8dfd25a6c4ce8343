import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import type { ReasonRow } from "@/db/queries/reasons";
import { cancellationReasons } from "@/db/schema";
import { type ActionResult, success } from "@/lib/action-result";
import { auditSettingsChange, type SettingsChangeBy } from "@/lib/settings/audit-settings-change";
import { fieldFailure } from "./field-failure";
import type { RenameReasonInput } from "./schemas";

/** The reason, locked for the change; or why it may not be changed here. */
export async function lockEditableReason(
  tx: Tx,
  code: string,
): Promise<{ ok: true; reason: ReasonRow } | { ok: false; failure: ReturnType<typeof fieldFailure> }> {
  const [reason] = await tx
    .select({
      code: cancellationReasons.code,
      label: cancellationReasons.label,
      initiator: cancellationReasons.initiator,
      active: cancellationReasons.active,
    })
    .from(cancellationReasons)
    .where(eq(cancellationReasons.code, code))
    .for("update");
  if (!reason)
    return { ok: false, failure: fieldFailure("code", `There is no reason with the code ${code}.`) };
  if (reason.initiator === "automatic") {
    return {
      ok: false,
      failure: fieldFailure(
        "code",
        `${code} is a system reason (automatic cancellations use it): it cannot be renamed or deactivated.`,
      ),
    };
  }
  return { ok: true, reason };
}

/**
 * Gives a reason a new label. The code stays, so every ledger entry that carries it now reads
 * with the new label. The change and its audit event commit together.
 */
export async function renameReason(
  db: Db,
  input: RenameReasonInput,
  by: SettingsChangeBy,
): Promise<ActionResult<ReasonRow>> {
  return db.transaction(async (tx): Promise<ActionResult<ReasonRow>> => {
    const locked = await lockEditableReason(tx, input.code);
    if (!locked.ok) return locked.failure;
    const { reason } = locked;
    if (reason.label === input.label) return success(reason);
    await tx
      .update(cancellationReasons)
      .set({ label: input.label, updatedAt: new Date() })
      .where(eq(cancellationReasons.code, input.code));
    await auditSettingsChange(tx, by, {
      target: `reason:${reason.code}`,
      setting: "reason",
      detail: { change: "renamed", code: reason.code, label: { from: reason.label, to: input.label } },
    });
    return success({ ...reason, label: input.label });
  });
}
