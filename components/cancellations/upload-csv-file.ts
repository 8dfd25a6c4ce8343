import type { ActionResult } from "@/lib/action-result";
import type { UploadResult } from "@/lib/batches/contracts";

/**
 * Sends a CSV file to `POST /api/batches` as the request body (streamed by the browser, checked
 * and stored as a draft batch by the server). Never throws: a lost connection is a result too.
 */
export async function uploadCsvFile(
  file: File,
  params: { kind: string; mode: string; reasonCode: string },
): Promise<ActionResult<UploadResult>> {
  const query = new URLSearchParams({ ...params, fileName: file.name.slice(0, 255) || "upload.csv" });
  try {
    const response = await fetch(`/api/batches?${query}`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: file,
    });
    const body = (await response.json().catch(() => null)) as ActionResult<UploadResult> | null;
    if (body && typeof body === "object" && "ok" in body) return body;
    return {
      ok: false,
      code: "INTERNAL_ERROR",
      message: `The upload failed (HTTP ${response.status}). Try again.`,
    };
  } catch {
    return {
      ok: false,
      code: "INTERNAL_ERROR",
      message: "The file could not be sent. Check the connection and try again.",
    };
  }
}
