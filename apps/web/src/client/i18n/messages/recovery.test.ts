import { describe, expect, it } from "vitest";
import { LOCALES } from "../locales";
import { recovery } from "./recovery";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("recovery catalog", () => {
  it("fills the same placeholders in every language, so no bridge, label or count goes missing in translation", () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(recovery.en)) {
        expect(placeholders(recovery[locale][key as keyof typeof recovery.en]), `${locale} ${key}`).toEqual(placeholders(text));
      }
    }
  });
});
