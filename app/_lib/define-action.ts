import "server-only";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { z } from "zod";

import type { AuditAction } from "@/db/schema";
import { type ActionResult, invalid } from "@/lib/action-result";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { getClientIp } from "@/lib/auth/client-ip";
import type { Permission } from "@/lib/auth/permissions";
import { type Authorized, authorize } from "@/lib/auth/session";

import { unexpectedFailure } from "./unexpected-failure";

/** Who calls an action and from where: what the service needs to act and to audit. */
export type ActionContext = Omit<Authorized, "ok"> & {
  audit: { label: string; sourceIp: string | null };
};

type ActionOptions<S extends z.ZodType> = {
  /** The input, untrusted: every server action is a public POST endpoint. FormData is read as an object. */
  schema: S;
  permission: Permission;
  /** What a refused attempt was, for the audit log. */
  audit?: AuditAction;
  /** What the action was doing, for the message of an unexpected failure. */
  doing: string;
  /** Pages whose data the action changes. */
  revalidate?: readonly string[];
};

/**
 * A server action, written once: check the permission (a caller without it learns nothing, not
 * even the input's shape), parse the input, call `lib/`, and map the result; an unexpected error
 * is logged with a reference and answered with a sentence, never a stack. `run` returns the
 * service's result as an ActionResult.
 */
export function defineAction<S extends z.ZodType, T>(
  options: ActionOptions<S>,
  run: (input: z.infer<S>, context: ActionContext) => Promise<ActionResult<T>>,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input: unknown) => {
    const auth = await authorize(options.permission, { action: options.audit });
    if (!auth.ok) return auth;
    const parsed = options.schema.safeParse(input instanceof FormData ? formValues(input) : input);
    if (!parsed.success) return invalid(parsed.error);
    try {
      const context: ActionContext = {
        user: auth.user,
        actor: auth.actor,
        audit: { label: auditActorOf(auth.actor).label, sourceIp: getClientIp(await headers()) },
      };
      const result = await run(parsed.data, context);
      if (result.ok) for (const path of options.revalidate ?? []) revalidatePath(path);
      return result;
    } catch (error) {
      return unexpectedFailure(error, options.doing);
    }
  };
}

/** A form's fields as an object; a field sent several times (checkboxes) becomes an array. */
function formValues(form: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    values[key] = all.length > 1 ? all : all[0];
  }
  return values;
}
