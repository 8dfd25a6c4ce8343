export async function register() {
  // Only the Node.js server owns the database; the edge runtime never touches it.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Before the first request: every request carries the client IP the server decided.
    const { stampClientIps } = await import("./lib/auth/client-ip");
    stampClientIps();
    const { startServer } = await import("./lib/server/start-server");
    await startServer();
  }
}
