import "server-only";
import type { z } from "zod";
import { type Db, getDb } from "@/db/client";
import { failureOf, invalid } from "@/lib/action-result";
import type { StoredResponse } from "@/lib/api/idempotency";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import type { ApiScope } from "@/lib/auth/permissions";
import type { Result } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";
import { readJsonBody } from "./json-body";
import { failureResponse, internalErrorResponse, NO_STORE } from "./responses";

export type MutationInput<P, B> = {
  params: P;
  body: B;
  db: Db;
  actor: Actor;
  audit: { label: string; sourceIp: string | null };
};

/**
 * A REST call that changes something, written once: the API key and its scope first, then the
 * path and the JSON body parsed with zod (400 naming the field), then `act`, whose result becomes
 * the response (its own status and body, or the error catalog's status and sentence). An
 * unexpected failure is a 500 with a request id, never a stack.
 */
export async function apiMutation<P, B>(
  request: Request,
  spec: {
    scope: ApiScope;
    params: { schema: z.ZodType<P>; value: unknown };
    body: z.ZodType<B>;
    /** For the 500 message: "receiving the warehouse event". */
    what: string;
  },
  act: (input: MutationInput<P, B>) => Promise<Result<StoredResponse>>,
): Promise<Response> {
  try {
    const auth = await authenticateApiRequest(request, spec.scope);
    if (!auth.ok) return auth.response;
    const params = spec.params.schema.safeParse(spec.params.value);
    if (!params.success) return failureResponse(invalid(params.error));
    const json = await readJsonBody(request);
    if (!json.ok) return json.response;
    const body = spec.body.safeParse(json.value);
    if (!body.success) return failureResponse(invalid(body.error));
    const result = await act({
      params: params.data,
      body: body.data,
      db: getDb(),
      actor: { type: auth.actor.type, id: auth.actor.id },
      audit: { label: auditActorOf(auth.actor).label, sourceIp: auth.sourceIp },
    });
    if (!result.ok) return failureResponse(failureOf(result.error));
    return Response.json(result.value.body, { status: result.value.status, headers: NO_STORE });
  } catch (error) {
    return internalErrorResponse(error, spec.what);
  }
}
