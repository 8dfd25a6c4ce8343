import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { mulberry32 } from "../random";

/**
 * The machinery every fake shares: a node:http server on 127.0.0.1 that records each request,
 * replays the first successful answer for a repeated Idempotency-Key (a key reused for a
 * different request gets a 422 with a `message`), counts distinct
 * deliveries and can be told to misbehave. Each fake supplies only its contract (`handle`).
 */

export type FakeMode =
  /** Speak the contract. */
  | "ok"
  /** Answer every request with the contract's 500 body. */
  | "error500"
  /** Accept the request and never answer (until close). */
  | "hang"
  /** Reset the connection as soon as a request arrives. */
  | "down"
  /**
   * Process the request as in "ok" (so a cancel does happen), then send the status line, headers
   * and part of the body and destroy the socket: the answer is lost, the effect is not.
   */
  | "drop";

export type RecordedRequest = {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; undefined when empty or not JSON (see `rawBody`). */
  body: unknown;
  rawBody: string;
};

export type FakeReply = {
  status: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is (takes precedence over `body`). */
  raw?: string;
  contentType?: string;
};

export type FakeOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Seed of the PRNG behind `failRate` / `hangRate` (default 1): the same seed, the same faults. */
  seed?: number;
  /** Share of requests (0..1) answered with the contract's 500 in "ok" mode. */
  failRate?: number;
  /** Share of requests (0..1) left unanswered in "ok" mode. */
  hangRate?: number;
  /** Delay before every answer, for a realistic demo. */
  latencyMs?: number;
};

export type FakeServer = {
  readonly url: string;
  readonly port: number;
  /** Every request received, in order, including those answered by a fault. */
  readonly requests: RecordedRequest[];
  /** Successful cancellations performed, counting a repeated Idempotency-Key once. */
  readonly distinctDeliveries: number;
  /** Requests answered from the idempotency store instead of being performed again. */
  readonly replays: number;
  readonly mode: FakeMode;
  setMode(mode: FakeMode): void;
  setFaults(faults: { failRate?: number; hangRate?: number; seed?: number }): void;
  /** Delay before every answer from now on (the request is still acted on at once). */
  setLatency(ms: number): void;
  /** The next request gets this answer instead (after mode faults), e.g. a documented body verbatim. */
  respondOnce(reply: FakeReply): void;
  /** The first later request that `matches` gets this answer instead (e.g. a 503 for one item of several). */
  respondOnceWhen(matches: (request: RecordedRequest) => boolean, reply: FakeReply): void;
  /** Forget requests, deliveries, scripted answers and faults; mode back to "ok". Contract state is the fake's. */
  resetBase(): void;
  close(): Promise<void>;
};

export type ContractHandler = {
  /**
   * The contract's answer to one request. May be asynchronous (a fake that looks up an order it
   * has not seen); requests are handled one at a time, in arrival order, so a contract's state
   * never sees two requests interleaved.
   */
  handle: (request: RecordedRequest) => FakeReply | Promise<FakeReply>;
  /** The contract's own 500 answer. */
  serverError: () => FakeReply;
};

/** The demo's seeded generator, so fault injection is reproducible: the same seed, the same faults. */
export const seededRandom = mulberry32;

export async function startFakeServer(options: FakeOptions, contract: ContractHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const idempotent = new Map<string, { fingerprint: string; reply: FakeReply }>();
  const scripted: FakeReply[] = [];
  const scriptedWhen: { matches: (request: RecordedRequest) => boolean; reply: FakeReply }[] = [];
  let mode: FakeMode = "ok";
  let deliveries = 0;
  let replays = 0;
  let failRate = options.failRate ?? 0;
  let hangRate = options.hangRate ?? 0;
  let random = seededRandom(options.seed ?? 1);
  let latencyMs = options.latencyMs ?? 0;
  /** Requests are decided one after the other (see ContractHandler.handle). */
  let turn: Promise<void> = Promise.resolve();

  const send = (res: ServerResponse, reply: FakeReply) => {
    const text = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, {
        "content-type": reply.contentType ?? "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (latencyMs > 0) setTimeout(write, latencyMs);
    else write();
  };

  /** Headers and part of the body, then the socket is destroyed: the answer is lost in transit. */
  const dropMidResponse = (req: IncomingMessage, res: ServerResponse, reply: FakeReply) => {
    const text = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    const part = text.slice(0, Math.floor(text.length / 2));
    res.writeHead(reply.status, {
      "content-type": reply.contentType ?? "application/json",
      "content-length": Buffer.byteLength(text) + 16,
    });
    res.write(part, () => setTimeout(() => req.socket.destroy(), 5));
  };

  /** The answer in "ok" (and "drop") mode, or null to leave the request hanging. */
  const decide = async (request: RecordedRequest): Promise<FakeReply | null> => {
    const once = scripted.shift();
    if (once !== undefined) return once;
    const chosen = scriptedWhen.findIndex((s) => s.matches(request));
    const [special] = chosen === -1 ? [] : scriptedWhen.splice(chosen, 1);
    if (special !== undefined) return special.reply;
    if (hangRate > 0 || failRate > 0) {
      const roll = random();
      if (roll < hangRate) return null;
      if (roll < hangRate + failRate) return contract.serverError();
    }
    const key = request.headers["idempotency-key"];
    const fingerprint = `${request.method} ${request.path} ${request.rawBody}`;
    const earlier = key === undefined ? undefined : idempotent.get(key);
    if (earlier !== undefined) {
      if (earlier.fingerprint !== fingerprint) {
        // A caller bug: one key for two different requests. Said loudly rather than replayed.
        return {
          status: 422,
          body: { message: `Idempotency-Key ${key} was already used for a different request` },
        };
      }
      replays++;
      return earlier.reply;
    }
    let reply: FakeReply;
    try {
      reply = await contract.handle(request);
    } catch (error) {
      // A contract that cannot answer (e.g. its order lookup failed) answers as its server would.
      console.warn(`[fake] ${request.method} ${request.path}: ${(error as Error).message}`);
      return contract.serverError();
    }
    if (reply.status >= 200 && reply.status < 300) {
      deliveries++;
      // Only successes are remembered: a refused or unauthorised request may succeed once fixed.
      if (key !== undefined) idempotent.set(key, { fingerprint, reply });
    }
    return reply;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse, rawBody: string) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    let body: unknown;
    try {
      body = rawBody.trim() === "" ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const request: RecordedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers,
      body,
      rawBody,
    };
    requests.push(request);

    if (mode === "down") {
      req.socket.destroy();
      return;
    }
    if (mode === "hang") return;
    if (mode === "error500") {
      send(res, contract.serverError());
      return;
    }
    const drop = mode === "drop";
    const decided = turn.then(() => decide(request));
    turn = decided.then(
      () => undefined,
      () => undefined,
    );
    void decided.then(
      (reply) => {
        if (reply === null) return;
        if (drop) dropMidResponse(req, res, reply);
        else send(res, reply);
      },
      () => send(res, contract.serverError()),
    );
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => onRequest(req, res, Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => {});
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get distinctDeliveries() {
      return deliveries;
    },
    get replays() {
      return replays;
    },
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
    },
    setFaults(faults) {
      if (faults.failRate !== undefined) failRate = faults.failRate;
      if (faults.hangRate !== undefined) hangRate = faults.hangRate;
      if (faults.seed !== undefined) random = seededRandom(faults.seed);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    respondOnce(reply) {
      scripted.push(reply);
    },
    respondOnceWhen(matches, reply) {
      scriptedWhen.push({ matches, reply });
    },
    resetBase() {
      requests.length = 0;
      idempotent.clear();
      scripted.length = 0;
      scriptedWhen.length = 0;
      deliveries = 0;
      replays = 0;
      mode = "ok";
      failRate = options.failRate ?? 0;
      hangRate = options.hangRate ?? 0;
      random = seededRandom(options.seed ?? 1);
      latencyMs = options.latencyMs ?? 0;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
