import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";

const TITLE = "Cancellations";
const DESCRIPTION =
  "Cancel sub-orders or line items in bulk from a CSV upload, or one sub-order at a time, and follow every row to SUCCESS or ERROR.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = [
  "Tabs: Cancel Sub-Orders (Single Sub-Order or Multiple Sub-Orders) and Cancel Sub-Order Line Items",
  "Sample CSV template download and upload with drag and drop",
  "Preview table that validates every row before anything is cancelled",
  "Reason code, Start Cancellation, live per-row status and progress",
  "Warning when rows fail, and Download Error CSV to fix and re-upload",
] as const;

export default function CancellationsPage() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
