import { describe, expect, it } from "vitest";
import { lineDiff } from "./line-diff";

const show = (before: string, after: string) => lineDiff(before, after).map((l) => `${{ same: " ", add: "+", remove: "-" }[l.op]}${l.text}`);

describe("lineDiff", () => {
  it("keeps common lines and marks what was removed and added, in order", () => {
    expect(show("a\nb\nc\nd", "a\nc\nx\nd")).toEqual([" a", "-b", " c", "+x", " d"]);
  });

  it("shows a changed line as removed then added", () => {
    expect(show('"equals": true', '"equals": false')).toEqual(['-"equals": true', '+"equals": false']);
  });

  it("handles empty sides and identical texts", () => {
    expect(show("", "a\nb")).toEqual(["+a", "+b"]);
    expect(show("a", "")).toEqual(["-a"]);
    expect(show("a\nb", "a\nb")).toEqual([" a", " b"]);
  });

  it("reconstructs both texts from its output", () => {
    const before = "{\n  x\n  y\n  z\n}";
    const after = "{\n  y\n  w\n  z\n  v\n}";
    const d = lineDiff(before, after);
    expect(d.filter((l) => l.op !== "add").map((l) => l.text).join("\n")).toBe(before);
    expect(d.filter((l) => l.op !== "remove").map((l) => l.text).join("\n")).toBe(after);
  });
});
