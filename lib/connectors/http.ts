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
  | { kind: "failure"; reason: string; permanent?: boolean };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** `base` + `path`, tolerating a trailing slash on the base and a base with a path prefix. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * Sends one request with a JSON body (none when `body` is undefined) and reads the whole answer,
 * all within `config.timeoutMs`. Redirects are not followed: a connector API that redirects means
 * a misconfigured base URL, and following it would replay a PATCH/POST somewhere unexpected.
 */
export async function sendJson(
  config: ConnectorConfig,
  method: HttpMethod,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  let url: URL;
  try {
    url = new URL(joinUrl(config.baseUrl, path));
  } catch {
    return { kind: "failure", reason: "the configured base URL is not a valid URL", permanent: true };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { kind: "failure", reason: `unsupported URL scheme "${url.protocol}"`, permanent: true };
  }
  const signal = AbortSignal.timeout(config.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
      signal,
    });
  } catch (error) {
    return { kind: "failure", reason: redact(config, describeNetworkError(error, config.timeoutMs, false)) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { kind: "failure", reason: redact(config, describeNetworkError(error, config.timeoutMs, true)) };
  }
  return {
    kind: "response",
    status: response.status,
    statusText: response.statusText,
    body: parseJson(text),
    text,
  };
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
  if (readingBody) {
    return known === undefined || code === "UND_ERR_SOCKET"
      ? "connection dropped mid-response"
      : `${known} mid-response`;
  }
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

/** Collapses whitespace, drops HTML markup (and an HTML head) and cuts a remote's text to a length fit for a table cell. */
export function snippet(text: string, max = 200): string {
  const plain = text
    .replace(/<(head|script|style)[\s>][\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
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
  /** What to hand back on success. */
  detailsOf?: (body: unknown) => Record<string, unknown> | undefined;
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
      : { kind: "unavailable", message: `${rules.system} did not answer: ${result.reason}` };
  }
  const { status, body } = result;
  if (status >= 200 && status < 300) {
    const details = rules.detailsOf?.(body);
    return details === undefined ? { kind: "accepted" } : { kind: "accepted", details };
  }
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
