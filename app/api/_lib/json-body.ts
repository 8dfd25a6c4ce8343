import "server-only";

import { type ActionFailure, failure } from "@/lib/action-result";
import { failureResponse } from "./responses";

/** The largest JSON body a REST endpoint reads; larger ones are refused before parsing. */
export const MAX_JSON_BYTES = 1024 * 1024;

/**
 * A request's JSON body, or the response that refuses it: 415 when it is not `application/json`,
 * 413 when it is larger than `maxBytes` (read no further than that), 400 when it is not JSON.
 */
export async function readJsonBody(
  request: Request,
  maxBytes = MAX_JSON_BYTES,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !(type.startsWith("application/") && type.endsWith("+json"))) {
    return refuse(failure("UNSUPPORTED_MEDIA_TYPE", {}));
  }
  const body = await readBody(request, maxBytes);
  if (!body.ok) return body;
  try {
    return { ok: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body.bytes)) };
  } catch {
    return refuse(failure("INVALID_INPUT", { problem: "The body is not valid JSON (UTF-8)." }));
  }
}

/**
 * A request's body as bytes, or the 413 that refuses it when it is larger than `maxBytes`, by its
 * Content-Length or, for a chunked body, once that much has been read (the rest is never read).
 */
export async function readBody(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return refuse(tooLarge(maxBytes));
  const bytes = await readLimited(request.body, maxBytes);
  if (bytes === null) return refuse(tooLarge(maxBytes));
  return { ok: true, bytes };
}

const tooLarge = (maxBytes: number) =>
  failure("PAYLOAD_TOO_LARGE", {
    problem: `The body is larger than ${Math.round(maxBytes / 1024)} KB, the limit here.`,
  });

function refuse(refused: ActionFailure) {
  return { ok: false as const, response: failureResponse(refused) };
}

/** Reads a stream up to `maxBytes`; null (and the rest left unread) when it is longer. */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
