// A runner in its own process, for the crash test: it works until killed.
import { openPostgres } from "@/db/client";
import { BatchRunner } from "@/lib/batches/runner";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const handle = openPostgres(url, 4);
await new BatchRunner(handle.db, { chunkSize: Number(process.env.CHUNK_SIZE ?? 100) }).runUntilIdle();
await handle.close();
