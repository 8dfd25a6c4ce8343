import { describe, expect, test } from "vitest";
import { userIdSchema } from "@/lib/auth/user-schemas";
import { CONTROL_CHARACTER_MESSAGE, freeText, ILL_FORMED_MESSAGE, idText } from "./text";

describe("text from outside", () => {
  test.each(["\ud800", "a\udfffb", "\u0085\udfff"])(
    "half a surrogate pair (%j) is refused with a message",
    (value) => {
      for (const schema of [idText(), freeText({ max: 100 })]) {
        const result = schema.safeParse(value);
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => i.message)).toContain(ILL_FORMED_MESSAGE);
      }
    },
  );

  test("a whole surrogate pair (an emoji) is text", () => {
    expect(idText().safeParse("SO-😀-1").success).toBe(true);
    expect(freeText({ max: 10 }).safeParse("😀").success).toBe(true);
  });

  test("a user id with NUL or half a surrogate pair is refused naming the field, never sent to the database", () => {
    for (const userId of ["\u0000", "u\u0000", "\udfff"]) {
      const result = userIdSchema.safeParse({ userId });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["userId"]);
      expect([CONTROL_CHARACTER_MESSAGE, ILL_FORMED_MESSAGE]).toContain(result.error?.issues[0]?.message);
    }
  });
});
