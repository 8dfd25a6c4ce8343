import type { Metadata, Viewport } from "next";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { Toaster } from "sonner";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Order cancellations", template: "%s · Order cancellations" },
  description: "Cancel sub-orders and line items, one at a time or in bulk, and keep every system in sync.",
};

export const viewport: Viewport = {
  themeColor: "#ffffff",
};

/**
 * The document. What surrounds a page comes from its route group: `(app)` has the signed-in shell
 * (header, sidebar, user menu), `(auth)` the bare sign-in card.
 */
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-svh">
        <NuqsAdapter>{children}</NuqsAdapter>
        <Toaster position="bottom-right" closeButton />
      </body>
    </html>
  );
}
