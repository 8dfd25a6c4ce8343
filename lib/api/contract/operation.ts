/**
 * One REST operation, declared once: its path, scope, the zod schemas of its path, query and body,
 * its answers and the error codes it can give. The route handler parses with these schemas
 * (app/api/_lib/api-route.ts), the OpenAPI document is generated from them (./openapi.ts), and the
 * contract tests check every answer against that document. Pure: no database, no Next.
 */
import type { z } from "zod";
import type { ApiScope } from "@/lib/auth/permissions";
import type { ErrorCode } from "@/lib/cancellation/errors";

export type HttpMethod = "get" | "post" | "put";

export type OperationResponse = {
  description: string;
  /** The body's schema (JSON); absent for a body in another media type (see `contentType`). */
  schema?: z.ZodType;
  example?: unknown;
  /** Default `application/json`. */
  contentType?: string;
};

export type Operation = {
  operationId: string;
  method: HttpMethod;
  /** The OpenAPI path under /api/v1, with `{name}` parameters: `/sub-orders/{id}/cancel`. */
  path: string;
  tag: string;
  summary: string;
  description: string;
  scope: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body; `maxBytes` caps it (413 above). */
  body?: { schema: z.ZodType; example?: unknown; maxBytes?: number; optional?: boolean };
  /** A file body instead of JSON: the media types taken and the size cap (413 above). */
  upload?: { contentTypes: readonly string[]; maxBytes: number; description: string; example?: string };
  /** Takes an `Idempotency-Key` header: a replay answers the stored status and body. */
  idempotent?: boolean;
  responses: Partial<Record<200 | 201 | 202, OperationResponse>>;
  /** The codes this operation can answer with, besides the ones every operation can. */
  errors: readonly ErrorCode[];
};

/** Every operation can answer these: no key, a key without the scope, too many requests, a bad request, a crash. */
export const COMMON_ERRORS = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "INVALID_INPUT",
  "INTERNAL_ERROR",
] as const;

/** What a mutating operation with a JSON body can also answer. */
export const BODY_ERRORS = ["UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"] as const;

/** What an idempotent operation can also answer. */
export const IDEMPOTENCY_ERRORS = ["IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE"] as const;

export const defineOperation = <const O extends Operation>(operation: O): O => operation;

/** All the codes an operation can answer with. */
export function errorsOf(operation: Operation): ErrorCode[] {
  return [
    ...new Set<ErrorCode>([
      ...COMMON_ERRORS,
      ...(operation.body || operation.upload ? BODY_ERRORS : []),
      ...(operation.idempotent ? IDEMPOTENCY_ERRORS : []),
      ...operation.errors,
    ]),
  ];
}
