import { failureResponse } from "@/app/api/_lib/responses";
import { getDb } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { invalid } from "@/lib/action-result";
import { auditCsvStream } from "@/lib/audit/audit-csv";
import { auditFiltersSchema, firstValues } from "@/lib/audit/filters";
import { authorize } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** The audit log as CSV, with the screen's filters (`?action=…&outcome=…&from=…&to=…&actor=…`). */
export async function GET(request: Request) {
  const auth = await authorize("audit:read");
  if (!auth.ok) return failureResponse(auth);
  const parsed = auditFiltersSchema.safeParse(firstValues(new URL(request.url).searchParams));
  if (!parsed.success) return failureResponse(invalid(parsed.error));
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
  return new Response(auditCsvStream(iterateAuditEvents(getDb(), parsed.data)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${stamp}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
