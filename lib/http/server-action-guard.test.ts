import { describe, expect, test } from "vitest";
import { refuseServerAction, SERVER_ACTION_BODY_LIMIT } from "./server-action-guard";

const action = (headers: Record<string, string>) =>
  new Headers({ host: "oms.example.com", "next-action": "7f00", ...headers });

describe("refuseServerAction", () => {
  test("a same-site action, or one without an Origin, goes on to Next", () => {
    expect(refuseServerAction("POST", action({ origin: "https://oms.example.com" }))).toBeNull();
    expect(refuseServerAction("POST", action({}))).toBeNull();
    expect(
      refuseServerAction(
        "POST",
        action({ origin: "https://oms.example.com", "content-length": String(SERVER_ACTION_BODY_LIMIT) }),
      ),
    ).toBeNull();
  });

  test("another site's action is 403, not Next's 500", () => {
    expect(refuseServerAction("POST", action({ origin: "https://evil.example" }))).toMatchObject({
      code: "FORBIDDEN",
      message: "Actions are accepted from this application's own pages only",
    });
    expect(refuseServerAction("POST", action({ origin: "not a url" }))?.code).toBe("FORBIDDEN");
    // Behind a proxy Next compares with X-Forwarded-Host: so does this.
    expect(
      refuseServerAction(
        "POST",
        action({
          host: "10.0.0.5:3000",
          "x-forwarded-host": "oms.example.com",
          origin: "https://oms.example.com",
        }),
      ),
    ).toBeNull();
  });

  test("a body over the actions' limit is 413, not Next's 500", () => {
    expect(
      refuseServerAction("POST", action({ "content-length": String(SERVER_ACTION_BODY_LIMIT + 1) }))?.code,
    ).toBe("PAYLOAD_TOO_LARGE");
  });

  test("a chunked body without a length is 411, not Next's 500 once it passes the limit", () => {
    expect(refuseServerAction("POST", action({ "transfer-encoding": "chunked" }))).toMatchObject({
      code: "LENGTH_REQUIRED",
      message: "The body was sent in chunks without a Content-Length; send it whole, with its length",
    });
  });

  test("anything that is not an action is not its business", () => {
    const headers = new Headers({
      host: "oms.example.com",
      origin: "https://evil.example",
      "content-length": "99999999",
    });
    expect(refuseServerAction("POST", headers)).toBeNull();
    expect(refuseServerAction("GET", action({ origin: "https://evil.example" }))).toBeNull();
  });
});

describe("proxy.ts answers for it", () => {
  test("a server action POST from another site, or over the limit, never reaches Next", async () => {
    const { NextRequest } = await import("next/server");
    const { proxy } = await import("@/proxy");
    const post = (headers: Record<string, string>) =>
      proxy(
        new NextRequest("http://oms.example.com/cancellations", {
          method: "POST",
          headers: { host: "oms.example.com", "next-action": "7f00", ...headers },
        }),
      );
    const crossSite = post({ origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ code: "FORBIDDEN" });
    expect(
      post({ origin: "http://oms.example.com", "content-length": String(SERVER_ACTION_BODY_LIMIT + 1) })
        .status,
    ).toBe(413);
    // A same-site action within the limit goes on (NextResponse.next() carries this header).
    expect(post({ origin: "http://oms.example.com" }).headers.get("x-middleware-next")).toBe("1");
  });
});
