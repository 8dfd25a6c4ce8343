import fs from "node:fs/promises";
import path from "node:path";

export const dynamic = "force-static";

/** The Scalar reference's browser bundle, from the installed package (the app runs from the project root). */
export async function GET() {
  const file = path.join(process.cwd(), "node_modules/@scalar/api-reference/dist/browser/standalone.js");
  return new Response(await fs.readFile(file), {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
    },
  });
}
