import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import { answerFrom, connectorUrl, redact, sendJson, snippet } from "./http";
import { closedPortUrl, configFor } from "./test-helpers";

let fake: FakeWms;
beforeAll(async () => {
  fake = await startFakeWms();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("connectorUrl", () => {
  test.each([
    ["http://h:1", "/a/b", "http://h:1/a/b"],
    ["http://h:1/", "/a/b", "http://h:1/a/b"],
    ["http://h:1/prefix/", "a/b", "http://h:1/prefix/a/b"],
    ["http://h:1/prefix", "/a/b", "http://h:1/prefix/a/b"],
    ["https://h/api/", "/orders/A%2FB/cancel", "https://h/api/orders/A%2FB/cancel"],
  ])("%s + %s", (base, path, expected) => {
    expect(connectorUrl(base, path)).toEqual({ url: new URL(expected) });
  });

  test.each([
    // A query in the base URL would swallow the fixed path; a fragment or credentials do not belong.
    ["http://h/api?x=", "/v3/cancel", /query, a fragment or credentials/],
    ["http://h/api#frag", "/v3/cancel", /query, a fragment or credentials/],
    ["http://user:pw@h/api", "/v3/cancel", /query, a fragment or credentials/],
    // A path that climbs out of the base path, plainly or percent-encoded.
    ["http://h/api/", "/orders/../admin", /not under the configured base URL/],
    ["http://h/api/", "/orders/%2e%2e/%2E%2E/admin", /not under the configured base URL/],
    ["not a url", "/x", /not a valid URL/],
    ["file:///etc/passwd", "/x", /unsupported URL scheme/],
  ])("%s + %s is refused", (base, path, problem) => {
    const result = connectorUrl(base, path);
    expect("problem" in result && result.problem).toMatch(problem);
  });
});

describe("only public addresses, unless private networks are allowed", () => {
  test.each([
    "127.0.0.1",
    "[::1]",
    "169.254.169.254",
    "10.1.2.3",
    "192.168.0.1",
    "172.16.5.5",
    "[fd00::1]",
    "0.0.0.0",
    "[::ffff:127.0.0.1]",
  ])("http://%s/ is refused before any connection", async (host) => {
    const result = await sendJson(
      { ...configFor(`http://${host}:9/`, {}), allowPrivateNetworks: false },
      "GET",
      "/",
      undefined,
    );
    expect(result).toMatchObject({ kind: "failure", permanent: true });
    if (result.kind === "failure") expect(result.reason).toMatch(/private, loopback or link-local/);
  });

  test("a host name that resolves to loopback is refused when the connection is made", async () => {
    const result = await sendJson(
      { ...configFor(fake.url.replace("127.0.0.1", "localhost"), {}), allowPrivateNetworks: false },
      "GET",
      "/",
      undefined,
    );
    expect(result).toMatchObject({ kind: "failure", permanent: true });
    if (result.kind === "failure")
      expect(result.reason).toMatch(/^localhost is (127\.0\.0\.1|::1), a private/);
    expect(fake.requests).toHaveLength(0);
  });

  test("allowed, the same local fake answers", async () => {
    const url = fake.url.replace("127.0.0.1", "localhost");
    const result = await sendJson(
      { ...configFor(url, {}), allowPrivateNetworks: true },
      "GET",
      "/",
      undefined,
    );
    expect(result).toMatchObject({ kind: "response" });
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
    expect(result).toEqual({ kind: "failure", reason: "connection refused", notSent: true });
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
    expect(
      snippet(
        "<html><head><title>t</title><style>p{}</style></head><body><h1>Service Unavailable</h1></body></html>",
      ),
    ).toBe("Service Unavailable");
    expect(snippet("<script>alert(1)</script>Bad gateway")).toBe("Bad gateway");
  });

  test.each([
    ["many tag openings", "<script ".repeat(200_000)],
    ["unclosed tags", "<a".repeat(500_000)],
    ["white space", " ".repeat(1_000_000)],
  ])("snippet of a hostile 1 MB body (%s) is quick and bounded", (_name, body) => {
    const out = snippet(body);
    expect(out.length).toBeLessThanOrEqual(200);
  });
});
