import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

test("migrations create the tables", async () => {
  const result = await database.db.execute(sql`select count(*)::int as n from line_items`);
  expect(result.rows[0]).toEqual({ n: 0 });
});
