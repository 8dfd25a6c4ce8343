/**
 * The REST API's one error format: RFC 9457 problem details (`application/problem+json`) with our
 * stable `code` beside the standard members, `errors[]` naming the fields of a validation failure,
 * `lineErrors[]` for a line-item group, and a `requestId` on a 500. Built from the error catalog,
 * so the API says what the screens and the error CSV say. Pure: the OpenAPI document uses it too.
 */
import { z } from "zod";
import { ERROR_CODES, type ErrorCode, type LineError, statusOfCode } from "@/lib/cancellation/errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "A URI naming the kind of problem: one per code." }),
    title: z.string().meta({ description: "The code in words; the same for every occurrence." }),
    status: z.number().int().meta({ description: "The HTTP status, repeated." }),
    detail: z
      .string()
      .meta({ description: "What went wrong in this case, naming the field, row, SKU and numbers." }),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]).meta({ description: "The stable code." }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "For a validation failure: each field and what is wrong with it." }),
    lineErrors: z
      .array(z.object({ sku: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "For a line-item group: each line that made it fail." }),
    requestId: z.string().optional().meta({ description: "For a 500: the reference the server logged." }),
  })
  .meta({ description: "RFC 9457 problem details with the stable error code." });

export type Problem = z.infer<typeof problemSchema>;

/** The problem type URI of a code. */
export const problemType = (code: ErrorCode): string =>
  `urn:problem:order-cancellation:${code.toLowerCase()}`;

/** `SUB_ORDER_NOT_FOUND` → `Sub-order not found`. */
export function problemTitle(code: ErrorCode): string {
  const words = code
    .toLowerCase()
    .replaceAll("_", " ")
    .replace(/\bsub order\b/g, "sub-order");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function problemOf(failure: {
  code: ErrorCode;
  message: string;
  fieldErrors?: Record<string, string[]>;
  lineErrors?: LineError[];
  requestId?: string;
}): Problem {
  const errors = failure.fieldErrors
    ? Object.entries(failure.fieldErrors).flatMap(([field, messages]) =>
        messages.map((message) => ({ field, message })),
      )
    : undefined;
  return {
    type: problemType(failure.code),
    title: problemTitle(failure.code),
    status: statusOfCode(failure.code),
    detail: failure.message,
    code: failure.code,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(failure.lineErrors ? { lineErrors: failure.lineErrors } : {}),
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
  };
}

/** A problem as a response, with any extra headers (Retry-After, RateLimit-*). */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...headers },
  });
}
