import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";

const TITLE = "Batches";
const DESCRIPTION =
  "Review past bulk cancellation runs with who started them, when, and how many rows succeeded or failed, and open one to see its rows.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = [
  "List of past runs with who, when and row counts",
  "Batch detail with every row's status, code and message",
  "Download a batch's error CSV again",
] as const;

export default function BatchesPage() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
