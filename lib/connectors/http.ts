import dns, { type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { isPublicAddress } from "@/lib/net/addresses";
import type { ConnectorAnswer, ConnectorConfig } from "./types";

/**
 * The outcome of one HTTP exchange. `sendJson` never throws: a remote that answers (whatever the
 * status) is a `response`; one that cannot be reached or stops mid-answer is a `failure` with a
 * short readable reason. `permanent` marks failures that retrying cannot fix (a malformed URL).
 */
export type HttpResult =
  | {
      kind: "response";
      status: number;
      statusText: string;
      /** The parsed JSON body; undefined when the body was empty or not JSON. */
      body: unknown;
      /** The raw body text, as received. */
      text: string;
    }
  | {
      kind: "failure";
      reason: string;
      permanent?: boolean;
      /** Known never to have reached the remote: the connection was refused or the name not found. */
      notSent?: true;
    };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Failures before a connection existed: the request cannot have reached the remote. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Bodies are read up to this size; a remote that sends more is cut off (its error text is a snippet anyway). */
export const MAX_RESPONSE_BYTES = 256 * 1024;
/** An error body is only looked at this far. */
const MAX_SNIPPET_SOURCE = 64 * 1024;

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/**
 * The request URL: `path` resolved under the base URL's path with `new URL` (never string
 * joining). A base URL with a query, fragment or credentials, and a path that would climb out of
 * the base path (`..`, also percent-encoded), are refused.
 */
export function connectorUrl(baseUrl: string, path: string): { url: URL } | { problem: string } {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return { problem: "the configured base URL is not a valid URL" };
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    return { problem: `unsupported URL scheme "${base.protocol}"` };
  }
  if (base.search || base.hash || base.username || base.password) {
    return { problem: "the configured base URL must not carry a query, a fragment or credentials" };
  }
  if (!base.pathname.endsWith("/")) base.pathname = `${base.pathname}/`;
  const relative = path.replace(/^\/+/, "");
  const url = new URL(relative, base);
  if (url.origin !== base.origin || url.pathname !== base.pathname + relative.split("?")[0]) {
    return { problem: "the request path is not under the configured base URL" };
  }
  return { url };
}

/** Whether connectors may reach loopback, private and link-local addresses (local fakes, in demo mode and tests). */
function privateNetworksAllowed(config: ConnectorConfig): boolean {
  return config.allowPrivateNetworks ?? env().CONNECTOR_ALLOW_PRIVATE_NETWORKS === "on";
}

const refusedAddress = (host: string, address: string) =>
  `${host} is ${address}, a private, loopback or link-local address; connectors reach only public addresses (set CONNECTOR_ALLOW_PRIVATE_NETWORKS=on to allow it)`;

class AddressNotAllowed extends Error {
  readonly code = "EADDRNOTALLOWED";
}

/**
 * Resolves a host name when the connection is made and refuses it if any of its addresses is not
 * public, so a name cannot point a connector at the inside of the network (a rebinding name is
 * checked on the address actually used).
 */
const guardedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, "", 4);
        return;
      }
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (refused) {
        callback(new AddressNotAllowed(refusedAddress(hostname, refused.address)), "", 4);
        return;
      }
      const first = list[0];
      if (!first) {
        callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 4);
        return;
      }
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, first.address, first.family);
    });
  };

/**
 * Sends one request with a JSON body (none when `body` is undefined) and reads the answer (up to
 * MAX_RESPONSE_BYTES), all within `config.timeoutMs`. Only public addresses are reached unless
 * CONNECTOR_ALLOW_PRIVATE_NETWORKS=on. Redirects are not followed: a connector API that redirects
 * means a misconfigured base URL, and following it would replay a PATCH/POST somewhere unexpected.
 */
export async function sendJson(
  config: ConnectorConfig,
  method: HttpMethod,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const target = connectorUrl(config.baseUrl, path);
  if ("problem" in target) return { kind: "failure", reason: target.problem, permanent: true };
  const { url } = target;
  const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const allowPrivate = privateNetworksAllowed(config);
  if (isIP(literal) && !allowPrivate && !isPublicAddress(literal)) {
    return { kind: "failure", reason: refusedAddress(url.hostname, literal), permanent: true };
  }
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const transport = url.protocol === "https:" ? https : http;
  const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];

  return new Promise<HttpResult>((resolve) => {
    let readingBody = false;
    let settled = false;
    const settle = (result: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      const reason = redact(config, describeNetworkError(error, config.timeoutMs, readingBody));
      if (code === "EADDRNOTALLOWED") settle({ kind: "failure", reason, permanent: true });
      else if (!readingBody && typeof code === "string" && NOT_SENT_CODES.has(code)) {
        settle({ kind: "failure", reason, notSent: true });
      } else settle({ kind: "failure", reason });
    };
    const request = transport.request(
      url,
      {
        method,
        agent,
        lookup: guardedLookup(allowPrivate),
        headers: {
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": String(payload.length) }),
          ...headers,
        },
      },
      (response) => {
        readingBody = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size >= MAX_RESPONSE_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) {
            // Enough: stop reading and drop the connection rather than drain a huge body.
            finish();
            response.destroy();
          }
        });
        const finish = () => {
          const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8");
          settle({
            kind: "response",
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            body: parseJson(text),
            text,
          });
        };
        response.on("end", finish);
        response.on("error", fail);
        response.on("aborted", () => fail(Object.assign(new Error("aborted"), { code: "ECONNRESET" })));
      },
    );
    const timer = setTimeout(() => {
      const timeout = Object.assign(new Error(`timed out after ${config.timeoutMs} ms`), {
        name: "TimeoutError",
      });
      fail(timeout);
      request.destroy(timeout);
    }, config.timeoutMs);
    request.on("error", fail);
    request.end(payload);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ERROR_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_HEADERS_TIMEOUT: "timed out waiting for response headers",
  UND_ERR_BODY_TIMEOUT: "timed out waiting for the response body",
};

/** A short, credential-free reason for a failed exchange: "timed out after 5000 ms", "connection refused". */
export function describeNetworkError(error: unknown, timeoutMs: number, readingBody: boolean): string {
  if (isNamed(error, "TimeoutError")) return `timed out after ${timeoutMs} ms`;
  if (isNamed(error, "AbortError")) {
    // An AbortSignal.timeout that fired while the body was streaming surfaces as AbortError on some runtimes.
    return readingBody ? `timed out after ${timeoutMs} ms while reading the response` : "request aborted";
  }
  const code = errorCode(error);
  const known = code === undefined ? undefined : ERROR_CODES[code];
  if (readingBody) return "connection dropped mid-response";
  if (known !== undefined) return known;
  if (code?.startsWith("ERR_TLS") || code?.includes("CERT")) return `TLS error (${code})`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error && cause.message ? cause.message : "network error";
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

/** The system error code of a fetch failure: on the error, its cause, or the cause's first aggregated error. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested.length > 0) {
      current = nested[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Removes any credential value from a text that may end up in a log or on screen. */
export function redact(config: ConnectorConfig, text: string): string {
  let out = text;
  for (const value of Object.values(config.credentials)) {
    if (value.length >= 4) out = out.split(value).join("[redacted]");
  }
  return out;
}

/**
 * Collapses whitespace, drops HTML markup (and the content of head, script and style elements) and
 * cuts a remote's text to a length fit for a table cell. One pass over at most the first 64 KB, with
 * index loops (no regular expression that a hostile body could make backtrack).
 */
export function snippet(text: string, max = 200): string {
  const source = text.length > MAX_SNIPPET_SOURCE ? text.slice(0, MAX_SNIPPET_SOURCE) : text;
  const lower = source.toLowerCase();
  let out = "";
  let space = false;
  const put = (c: string) => {
    if (c === " ") space = out !== "";
    else {
      if (space) out += " ";
      out += c;
      space = false;
    }
  };
  for (let i = 0; i < source.length && out.length <= max; ) {
    const c = source.charCodeAt(i);
    if (c === 0x3c /* < */) {
      const close = source.indexOf(">", i + 1);
      if (close === -1) break; // an unfinished tag: the rest is markup
      const tag = /^<(head|script|style)[\s>]/.exec(lower.slice(i, i + 8))?.[1];
      const end = tag ? lower.indexOf(`</${tag}>`, close) : -1;
      i = tag && end !== -1 ? end + tag.length + 3 : close + 1;
      put(" ");
    } else {
      put(isWhitespace(c) ? " " : source.charAt(i));
      i++;
    }
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

export type AnswerRules = {
  /** How the remote is named in messages: "WMS", "Dropship API", ... */
  system: string;
  /** The remote's own readable message in an error body, or null when there is none. */
  messageOf: (body: unknown) => string | null;
  /** A machine code for a rejected answer (e.g. the WMS "810"); defaults to `http_<status>`. */
  codeOf?: (body: unknown, status: number) => string | null;
  /** Extra credential checks beyond 401/403 (e.g. the WMS 802 code). */
  credentialsProblem?: (body: unknown, status: number) => boolean;
};

/**
 * The common mapping of an exchange to a ConnectorAnswer:
 * 2xx accepted; 408, 429 and 5xx unavailable (transient by definition); other 3xx/4xx rejected
 * with the remote's message; network failures unavailable (malformed configuration rejected).
 */
export function answerFrom(config: ConnectorConfig, result: HttpResult, rules: AnswerRules): ConnectorAnswer {
  if (result.kind === "failure") {
    return result.permanent
      ? { kind: "rejected", code: "configuration", message: `${rules.system}: ${result.reason}` }
      : {
          kind: "unavailable",
          message: `${rules.system} did not answer: ${result.reason}`,
          ...(result.notSent ? { notSent: true as const } : {}),
        };
  }
  const { status, body } = result;
  if (status >= 200 && status < 300) return { kind: "accepted" };
  const remote = rules.messageOf(body);
  const said = redact(
    config,
    remote ?? (snippet(result.text) || `HTTP ${status} ${result.statusText}`.trim()),
  );
  if (status >= 500 || status === 408 || status === 429) {
    return { kind: "unavailable", message: `${rules.system} answered HTTP ${status}: ${said}` };
  }
  if (status >= 300 && status < 400) {
    return {
      kind: "rejected",
      code: `http_${status}`,
      message: `${rules.system} answered with a redirect (HTTP ${status}); check the configured base URL`,
    };
  }
  const credentialsProblem =
    status === 401 || status === 403 || (rules.credentialsProblem?.(body, status) ?? false);
  const answer: ConnectorAnswer = {
    kind: "rejected",
    code: rules.codeOf?.(body, status) ?? `http_${status}`,
    message: remote === null ? `${rules.system} refused the request (${said})` : said,
  };
  return credentialsProblem ? { ...answer, credentialsProblem: true } : answer;
}

/** Narrowing helpers for bodies of unknown shape. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}
