import { describe, expect, it } from "vitest";
import { duplicates, expandPattern, hasPlaceholder } from "./name-pattern";

describe("expandPattern", () => {
  it("numbers names from 1", () => {
    expect(expandPattern("app-{n}", 3)).toEqual({ ok: true, names: ["app-1", "app-2", "app-3"] });
  });
  it("pads to the requested width and starts where asked", () => {
    expect(expandPattern("app-{n:3}", 2, 9)).toEqual({ ok: true, names: ["app-009", "app-010"] });
  });
  it("keeps a single name without a placeholder", () => {
    expect(expandPattern("payments", 1)).toEqual({ ok: true, names: ["payments"] });
  });
  it("refuses bulk without a placeholder, two placeholders, an empty pattern and a zero width", () => {
    expect(expandPattern("app", 2)).toEqual({ ok: false, problem: "noPlaceholder" });
    expect(expandPattern("{n}-{n}", 2)).toEqual({ ok: false, problem: "twoPlaceholders" });
    expect(expandPattern("  ", 1)).toEqual({ ok: false, problem: "empty" });
    expect(expandPattern("a-{n:0}", 2)).toEqual({ ok: false, problem: "badWidth" });
  });
  it("yields 20 distinct names for app-{n} × 20", () => {
    const r = expandPattern("app-{n}", 20);
    expect(r.ok && r.names.length).toBe(20);
    expect(r.ok && duplicates(r.names)).toEqual([]);
  });
});

describe("hasPlaceholder / duplicates", () => {
  it("sees the placeholder with and without width", () => {
    expect(hasPlaceholder("a-{n}")).toBe(true);
    expect(hasPlaceholder("a-{n:2}")).toBe(true);
    expect(hasPlaceholder("a-n")).toBe(false);
  });
  it("lists repeated names once", () => {
    expect(duplicates(["a", "b", "a", "a", "c", "b"])).toEqual(["a", "b"]);
  });
});
