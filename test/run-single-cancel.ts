// A single cancellation in its own process, for the crash test: it is killed while the
// warehouse is answering.
import { openPostgres } from "@/db/client";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";

const url = process.env.DATABASE_URL;
const subOrderId = process.env.SUB_ORDER_ID;
if (!url || !subOrderId) throw new Error("DATABASE_URL and SUB_ORDER_ID are required");
const handle = openPostgres(url, 2);
const result = await cancelSubOrder(handle.db, {
  subOrderId,
  mode: "strict",
  reasonCode: process.env.REASON_CODE ?? "TEST_REASON",
  actor: { type: "system", id: "crash-test" },
  source: "single",
});
console.log(JSON.stringify(result));
await handle.close();
