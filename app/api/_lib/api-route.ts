import "server-only";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { type Db, getDb } from "@/db/client";
import { failure, invalid } from "@/lib/action-result";
import type { Operation } from "@/lib/api/contract/operation";
import { requestFingerprint, runIdempotent, type StoredResponse } from "@/lib/api/idempotency";
import { PROBLEM_CONTENT_TYPE, problemOf } from "@/lib/api/problem";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import type { Result } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";
import { idText } from "@/lib/validation/text";
import { MAX_JSON_BYTES, readJsonBody, readLimited } from "./json-body";
import { failureResponse, internalErrorResponse, NO_STORE } from "./responses";

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export type RouteInput<O extends Operation> = {
  params: Infer<O["params"]>;
  query: Infer<O["query"]>;
  body: O["body"] extends { schema: infer S }
    ? Infer<S>
    : O["upload"] extends object
      ? Uint8Array
      : undefined;
  /** For an upload: the media type it came as. */
  contentType: string;
  db: Db;
  actor: Actor;
  audit: { label: string; sourceIp: string | null };
  /** The client's Idempotency-Key, when the operation takes one and it was sent. */
  idempotencyKey?: string;
};

/** What a handler answers: a stored-able status and JSON body, a catalog error, or a ready Response (a stream). */
export type RouteAnswer = Result<StoredResponse> | Response;

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const idempotencyKeySchema = idText({ max: 200 });

/**
 * A REST operation's handler, written once: the API key and its scope first (401/403/429), then the
 * path, the query and the body parsed with the operation's own zod schemas (400 naming the field,
 * 413 over the size cap, 415 for another media type), then the Idempotency-Key when the operation
 * takes one (a replay answers the stored status and body; another body with the same key is 422;
 * a duplicate still running is 409 once the wait is over), then `handle`. Every error is RFC 9457
 * problem details from the error catalog; an unexpected one is a 500 with a request id only.
 * Every answer carries the key's RateLimit-* headers.
 */
export function apiRoute<const O extends Operation>(
  operation: O,
  handle: (input: RouteInput<O>) => Promise<RouteAnswer>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const auth = await authenticateApiRequest(request, operation.scope);
      if (!auth.ok) return auth.response;
      const rate = auth.rateLimitHeaders;

      const params = operation.params?.safeParse(await context.params);
      if (params && !params.success) return failureResponse(invalid(params.error), rate);
      const query = operation.query?.safeParse(
        Object.fromEntries(new URL(request.url).searchParams.entries()),
      );
      if (query && !query.success) return failureResponse(invalid(query.error), rate);

      let body: unknown;
      let fingerprintBody: unknown;
      const contentType =
        (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      const empty = request.body === null || request.headers.get("content-length") === "0";
      if (operation.body?.optional && empty && contentType === "") {
        const parsed = operation.body.schema.safeParse({});
        if (!parsed.success) return failureResponse(invalid(parsed.error), rate);
        body = parsed.data;
        fingerprintBody = parsed.data;
      } else if (operation.body) {
        const json = await readJsonBody(request, operation.body.maxBytes ?? MAX_JSON_BYTES);
        if (!json.ok) return withHeaders(json.response, rate);
        const parsed = operation.body.schema.safeParse(json.value);
        if (!parsed.success) return failureResponse(invalid(parsed.error), rate);
        body = parsed.data;
        fingerprintBody = parsed.data;
      } else if (operation.upload) {
        if (!operation.upload.contentTypes.includes(contentType)) {
          return failureResponse(
            failure("UNSUPPORTED_MEDIA_TYPE", { accepted: operation.upload.contentTypes }),
            rate,
          );
        }
        const declared = Number(request.headers.get("content-length") ?? "0");
        const bytes =
          declared > operation.upload.maxBytes
            ? null
            : await readLimited(request.body, operation.upload.maxBytes);
        if (bytes === null) {
          const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
          const size =
            declared > operation.upload.maxBytes
              ? mb(declared)
              : `larger than ${mb(operation.upload.maxBytes)}`;
          return failureResponse(
            failure("PAYLOAD_TOO_LARGE", {
              problem: `The file is ${size}; the limit is ${mb(operation.upload.maxBytes)}. Split it into smaller files.`,
            }),
            rate,
          );
        }
        body = bytes;
        fingerprintBody = createHash("sha256").update(bytes).digest("hex");
      }

      let idempotencyKey: string | undefined;
      const header = request.headers.get("idempotency-key");
      if (operation.idempotent && header !== null) {
        const key = idempotencyKeySchema.safeParse(header);
        if (!key.success) {
          return failureResponse(
            failure("INVALID_INPUT", {
              problem: `Idempotency-Key: ${key.error.issues[0]?.message ?? "is not valid"}`,
            }),
            rate,
          );
        }
        idempotencyKey = key.data;
      }

      const db = getDb();
      const input = {
        params: params?.data,
        query: query?.data,
        body,
        contentType,
        db,
        actor: { type: auth.actor.type, id: auth.actor.id },
        audit: { label: auditActorOf(auth.actor).label, sourceIp: auth.sourceIp },
        idempotencyKey,
      } as RouteInput<O>;

      if (!idempotencyKey) {
        const answer = await handle(input);
        return answer instanceof Response ? withHeaders(answer, rate) : respond(stored(answer), rate);
      }
      const held: { stream?: Response } = {};
      const outcome = await runIdempotent(
        db,
        {
          ownerId: auth.actor.id,
          key: idempotencyKey,
          fingerprint: requestFingerprint(
            request.method,
            `${new URL(request.url).pathname}?${new URL(request.url).searchParams}`,
            fingerprintBody ?? null,
          ),
        },
        async () => {
          const answer = await handle(input);
          if (answer instanceof Response) {
            held.stream = answer;
            return { status: 500, body: null }; // not kept: a stream is not replayable
          }
          return stored(answer);
        },
      );
      if (held.stream) return withHeaders(held.stream, rate);
      switch (outcome.kind) {
        case "mismatch":
          return failureResponse(failure("IDEMPOTENCY_KEY_REUSED", { key: idempotencyKey }), rate);
        case "busy":
          return failureResponse(failure("IDEMPOTENCY_KEY_IN_USE", { key: idempotencyKey }), rate);
        case "replayed":
          return respond(outcome.response, { ...rate, "Idempotent-Replayed": "true" });
        default:
          return respond(outcome.response, rate);
      }
    } catch (error) {
      return internalErrorResponse(error, `${operation.method.toUpperCase()} ${operation.path}`);
    }
  };
}

/** A handler's result as what is sent (and kept for its Idempotency-Key): errors as problem details. */
function stored(answer: Result<StoredResponse>): StoredResponse {
  if (answer.ok) return answer.value;
  const problem = problemOf(answer.error);
  return { status: problem.status, body: problem };
}

function respond(response: StoredResponse, headers: Record<string, string>): Response {
  const type = response.status >= 400 ? PROBLEM_CONTENT_TYPE : "application/json";
  return new Response(JSON.stringify(response.body), {
    status: response.status,
    headers: { "Content-Type": type, ...NO_STORE, ...headers },
  });
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
