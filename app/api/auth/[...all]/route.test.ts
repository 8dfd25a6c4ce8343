/**
 * POST /api/auth/*: a public endpoint, so it reads at most 64 KB of a body before better-auth sees
 * it (better-auth would read any body whole), and passes a small one on unchanged.
 */
import { beforeEach, describe, expect, test, vi } from "vitest";

const seen = vi.hoisted(() => ({ requests: [] as Request[] }));

vi.mock("@/lib/auth/auth-handler", () => ({
  handleAuthRequest: async (request: Request) => {
    seen.requests.push(request);
    return new Response(null, { status: 204 });
  },
}));

import { POST } from "./route";

const url = "http://localhost:3000/api/auth/sign-in/email";

beforeEach(() => {
  seen.requests.length = 0;
});

describe("POST /api/auth/*", () => {
  test("a body over 64 KB is 413 and never reaches better-auth, declared or chunked", async () => {
    const big = JSON.stringify({ email: "a@example.com", password: "x".repeat(2 * 1024 * 1024) });
    const declared = await POST(
      new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: big }),
    );
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });

    const bytes = new TextEncoder().encode(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 16_384) controller.enqueue(bytes.slice(at, at + 16_384));
        controller.close();
      },
    });
    const streamed = await POST(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: chunked,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(seen.requests).toEqual([]);
  });

  test("a sign-in body reaches better-auth unchanged: address, headers and bytes", async () => {
    const body = JSON.stringify({ email: "olivia@example.com", password: "correct horse" });
    const response = await POST(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
        body,
      }),
    );
    expect(response.status).toBe(204);
    const [passed] = seen.requests;
    expect(passed?.url).toBe(url);
    expect(passed?.headers.get("x-forwarded-for")).toBe("203.0.113.9");
    expect(await passed?.text()).toBe(body);
  });
});
