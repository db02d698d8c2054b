import { describe, expect, it } from "vitest";
import { bucketExpiries } from "./buckets";

const DAY = 86_400;
const NOW = 1_800_000_000;
const key = (name: string, days: number) => ({ name, exp: NOW + days * DAY });

describe("bucketExpiries", () => {
  it("splits the window into equal slices, keeps expired keys apart and leaves out keys past the window", () => {
    const t = bucketExpiries([key("past", -3), key("today", 0), key("d9", 9.99), key("d10", 10), key("end", 30), key("later", 31)], NOW, 30, 3);
    expect(t.expired.map((k) => k.name)).toEqual(["past"]);
    expect(t.buckets.map((b) => b.items.map((k) => k.name))).toEqual([["today", "d9"], ["d10"], ["end"]]);
    expect(t.buckets.map((b) => [(b.start - NOW) / DAY, (b.end - NOW) / DAY])).toEqual([
      [0, 10],
      [10, 20],
      [20, 30],
    ]);
    expect(t.max).toBe(2);
  });

  it("scales to at least one, so an empty timeline draws no bars rather than dividing by zero", () => {
    const t = bucketExpiries([], NOW, 365, 24);
    expect(t.max).toBe(1);
    expect(t.buckets).toHaveLength(24);
    expect(t.buckets.at(-1)?.end).toBe(NOW + 365 * DAY);
  });
});
