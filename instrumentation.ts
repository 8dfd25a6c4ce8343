export async function register() {
  // Only the Node.js server owns the database; the edge runtime never touches it.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/server/start-server");
    await startServer();
  }
}
