import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type FakeWms, startFakeWms } from "./fakes/wms";
import { answerFrom, joinUrl, redact, sendJson, snippet } from "./http";
import { closedPortUrl, configFor } from "./test-helpers";

let fake: FakeWms;
beforeAll(async () => {
  fake = await startFakeWms();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("joinUrl", () => {
  test.each([
    ["http://h:1", "/a/b", "http://h:1/a/b"],
    ["http://h:1/", "/a/b", "http://h:1/a/b"],
    ["http://h:1/prefix/", "a/b", "http://h:1/prefix/a/b"],
  ])("%s + %s", (base, path, expected) => {
    expect(joinUrl(base, path)).toBe(expected);
  });
});

describe("sendJson", () => {
  test("returns status, parsed body and raw text", async () => {
    fake.respondOnce({ status: 418, body: { a: 1 } });
    const result = await sendJson(configFor(fake.url, {}), "POST", "/x", { q: true }, { "x-test": "1" });
    expect(result).toEqual({
      kind: "response",
      status: 418,
      statusText: "I'm a Teapot",
      body: { a: 1 },
      text: '{"a":1}',
    });
    const [request] = fake.requests;
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-test"]).toBe("1");
    expect(request?.rawBody).toBe('{"q":true}');
  });

  test("sends no body and no content-type when the body is undefined", async () => {
    await sendJson(configFor(fake.url, {}), "POST", "/x", undefined);
    expect(fake.requests[0]?.rawBody).toBe("");
    expect(fake.requests[0]?.headers["content-type"]).toBeUndefined();
  });

  test("an unparseable body is kept as text with body undefined", async () => {
    fake.respondOnce({ status: 502, raw: "<html>Bad gateway</html>", contentType: "text/html" });
    const result = await sendJson(configFor(fake.url, {}), "GET", "/", undefined);
    expect(result).toMatchObject({
      kind: "response",
      status: 502,
      body: undefined,
      text: "<html>Bad gateway</html>",
    });
  });

  test.each([
    ["hang", "timed out after 200 ms"],
    ["down", /^(connection reset|connection closed by the server)$/],
    ["drop", "connection dropped mid-response"],
  ] as const)("mode %s fails with a readable reason", async (mode, reason) => {
    fake.setMode(mode);
    const result = await sendJson(
      configFor(fake.url, {}, 200),
      "PATCH",
      "/v3/fulfillment/outbound/oms/cancel",
      {},
    );
    expect(result.kind).toBe("failure");
    if (result.kind === "failure") expect(result.reason).toMatch(reason);
  });

  test("a closed port is a connection refused", async () => {
    const result = await sendJson(configFor(await closedPortUrl(), {}), "GET", "/", undefined);
    expect(result).toEqual({ kind: "failure", reason: "connection refused" });
  });

  test.each(["not a url", "ftp://example.com"])(
    "a malformed base URL (%s) is a permanent failure",
    async (baseUrl) => {
      const result = await sendJson(configFor(baseUrl, {}), "GET", "/", undefined);
      expect(result).toMatchObject({ kind: "failure", permanent: true });
    },
  );
});

describe("answerFrom", () => {
  const config = configFor("http://x", { apiKey: "s3cret-key" });
  const rules = { system: "Remote", messageOf: (b: unknown) => (b as { m?: string } | undefined)?.m ?? null };
  const response = (status: number, body: unknown, text = JSON.stringify(body) ?? "") =>
    ({ kind: "response", status, statusText: "", body, text }) as const;

  test.each([
    [response(200, undefined, ""), { kind: "accepted" }],
    [response(204, undefined, ""), { kind: "accepted" }],
    [response(400, { m: "bad" }), { kind: "rejected", code: "http_400", message: "bad" }],
    [
      response(401, { m: "who?" }),
      { kind: "rejected", code: "http_401", message: "who?", credentialsProblem: true },
    ],
    [
      response(403, {}),
      {
        kind: "rejected",
        code: "http_403",
        message: "Remote refused the request ({})",
        credentialsProblem: true,
      },
    ],
    [response(301, undefined, ""), { kind: "rejected", code: "http_301" }],
    [response(408, { m: "slow" }), { kind: "unavailable", message: "Remote answered HTTP 408: slow" }],
    [response(429, { m: "busy" }), { kind: "unavailable", message: "Remote answered HTTP 429: busy" }],
    [
      response(503, undefined, "<h1>Service Unavailable</h1>"),
      { kind: "unavailable", message: "Remote answered HTTP 503: Service Unavailable" },
    ],
    [
      { kind: "failure", reason: "connection refused" } as const,
      { kind: "unavailable", message: "Remote did not answer: connection refused" },
    ],
    [
      { kind: "failure", reason: "bad URL", permanent: true } as const,
      { kind: "rejected", code: "configuration" },
    ],
  ])("%o -> %o", (result, expected) => {
    expect(answerFrom(config, result, rules)).toMatchObject(expected);
  });

  test("never repeats a credential the remote echoed", () => {
    const answer = answerFrom(config, response(400, { m: "key s3cret-key is not valid" }), rules);
    expect(answer).toMatchObject({ message: "key [redacted] is not valid" });
  });

  test("redact and snippet", () => {
    expect(redact(config, "a s3cret-key b")).toBe("a [redacted] b");
    expect(snippet("<p>one\n  two</p>")).toBe("one two");
    expect(snippet("x".repeat(300)).length).toBe(200);
  });
});
