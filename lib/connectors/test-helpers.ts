import { createServer } from "node:net";
import type { ConnectorConfig } from "./types";

/** A URL on 127.0.0.1 where nothing listens: a port that was just bound and released. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export function configFor(
  baseUrl: string,
  credentials: Record<string, string>,
  timeoutMs = 2000,
): ConnectorConfig {
  return { baseUrl, credentials, timeoutMs };
}
