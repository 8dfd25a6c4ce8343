import { describe, expect, test } from "vitest";

import { FALLBACK_LOCALE, formatterFor, localeFromAcceptLanguage, supportedLocale } from "./formatter";

describe("the locale", () => {
  test("a browser's languages by q-value; unknown or malformed tags are skipped", () => {
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeFromAcceptLanguage("xx-INVALID-@@, fr;q=0.5, en-US;q=0.7")).toBe("en-US");
    expect(localeFromAcceptLanguage("*;q=1, ja-JP;q=0.2")).toBe("ja-JP");
    expect(localeFromAcceptLanguage("")).toBeNull();
    expect(localeFromAcceptLanguage(null)).toBeNull();
  });

  test("only valid tags are taken; anything else falls back", () => {
    expect(supportedLocale("en-us")).toBe("en-US");
    expect(supportedLocale("not a locale")).toBeNull();
    expect(formatterFor("not a locale").locale).toBe(FALLBACK_LOCALE);
  });
});

describe("formatting", () => {
  test("money in the order's own currency, with the locale's grouping and decimals", () => {
    expect(formatterFor("en-IN").money(12_345_678, "INR")).toBe("₹1,23,456.78");
    expect(formatterFor("en-US").money(12_345_678, "INR")).toBe("₹123,456.78");
    expect(formatterFor("de-DE").money(1999, "EUR")).toBe("19,99\u00a0€");
    expect(formatterFor("en-US").money(500, "JPY")).toBe("¥500");
    expect(formatterFor("en-US").money(1999, "USD")).toBe("$19.99");
  });

  test("counts, plurals and rates", () => {
    expect(formatterFor("en-IN").plural(120_000, "unit")).toBe("1,20,000 units");
    expect(formatterFor("de-DE").plural(1, "unit")).toBe("1 unit");
    expect(formatterFor("de-DE").rate(37.5)).toBe("37,5");
    expect(formatterFor("en-US").rate(0.4235)).toBe("0.42");
  });

  test("dates in UTC, in the locale's own order", () => {
    const at = "2026-11-03T14:05:09Z";
    expect(formatterFor("en-GB").dateTime(at)).toBe("3 Nov 2026, 14:05 UTC");
    expect(formatterFor("en-US").dateTime(at)).toBe("Nov 3, 2026, 2:05 PM UTC");
    expect(formatterFor("en-GB").dateTimeSeconds(at)).toBe("3 Nov 2026, 14:05:09 UTC");
    expect(formatterFor("en-GB").dayAndTime(new Date("2026-11-03T23:59:59Z"))).toEqual({
      day: "3 Nov 2026",
      time: "23:59:59 UTC",
    });
  });
});
