import { describe, expect, it } from "vitest";
import { rng } from "./random";
import { expectBadParameter } from "./test/expect-error";

describe("rng", () => {
  it("returns exactly count bytes, 1 to 128", () => {
    expect(rng(1)).toHaveLength(1);
    expect(rng(128)).toHaveLength(128);
    expect(Buffer.from(rng(32))).not.toEqual(Buffer.from(rng(32)));
  });

  it.each([0, 129, -1, 1.5, Number.NaN])("refuses count %s", (count) => {
    expectBadParameter(() => rng(count), "RngCount");
  });
});
