import { makeSubOrderBatch } from "@/bench/bulk";
import { processChunk } from "@/lib/batches/process-chunk";
import { startBatch } from "@/lib/batches/start-batch";
import { createTestDatabase } from "@/test/database";
import { insertBulkSubOrders, insertReferenceData } from "@/test/fixtures";

const database = await createTestDatabase();
const db = database.db;
await insertReferenceData(db);
const ids = await insertBulkSubOrders(db, "P", 20000);
const batchId = await makeSubOrderBatch(db, ids, "p");
await startBatch(db, { batchId, confirmDuplicate: true, now: new Date() });
const t = performance.now();
while ((await processChunk(db, batchId, { chunkSize: 1000 })) > 0) {}
console.log("20k chunks", performance.now() - t);
await database.drop();
