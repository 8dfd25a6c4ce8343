import { attachment, failureResponse } from "@/app/api/_lib/responses";
import { failure } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import { isCsvKind, templateCsv, templateFileName } from "@/lib/csv/templates";

export const dynamic = "force-dynamic";

/** The sample CSV template of a kind (`sub_orders` or `line_items`), as a real CSV download. */
export async function GET(_request: Request, ctx: RouteContext<"/api/templates/[kind]">) {
  const { kind } = await ctx.params;
  if (!isCsvKind(kind)) {
    return failureResponse(
      failure("INVALID_INPUT", { problem: `Unknown template ${kind}: use sub_orders or line_items` }),
    );
  }
  const auth = await authorize("batches:read");
  if (!auth.ok) return failureResponse(auth);
  return new Response(templateCsv(kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachment(templateFileName(kind)),
      "Cache-Control": "no-store",
    },
  });
}
