// The fake WMS in its own process, as a real remote would be: the bench's event loop is not
// shared with the server it calls. Prints its URL, then serves until killed.
import { startFakeWms } from "@/dev/fakes/wms";

const wms = await startFakeWms({ latencyMs: Number(process.env.LATENCY_MS ?? 50) });
console.log(wms.url);
