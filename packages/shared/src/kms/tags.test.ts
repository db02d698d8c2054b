import { describe, expect, it } from "vitest";
import { mergeKmsTags, parseKmsTagKeys, parseKmsTags, removeKmsTags } from "./tags.js";
import { kmsRefusal } from "./test-vectors/refusal.js";

const tags = (pairs: [string, string][]) => JSON.stringify(pairs.map(([TagKey, TagValue]) => ({ TagKey, TagValue })));

function refusal(fn: () => unknown): { code: string; message: string } {
  const r = kmsRefusal(fn);
  if (r === "accepted") throw new Error("not refused");
  return r;
}

describe("KMS tags", () => {
  it("accepts the documented charset up to 128 characters, an empty value, and Unicode letters", () => {
    const key = `a/b\\c_d-e.f+g=h:i@j k${"x".repeat(107)}`;
    expect(key).toHaveLength(128);
    expect(parseKmsTags(tags([[key, ""], ["Team", "支払い 1"]]))).toEqual({ [key]: "", Team: "支払い 1" });
  });

  it.each([
    ["malformed JSON", "[{", /must be JSON/],
    ["an empty list", "[]", /at least one tag/],
    ["21 tags", tags(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])), /at most 20/],
    ["a 129-character key", tags([["k".repeat(129), "v"]]), /at most 128/],
    ["a 129-character value", tags([["k", "v".repeat(129)]]), /at most 128/],
    ["a key outside the charset", tags([["k#1", "v"]]), /character outside/],
    ["a value outside the charset", tags([["k", "<v>"]]), /character outside/],
    ["a key starting with aliyun", tags([["aliyun-owner", "v"]]), /aliyun or acs:/],
    ["a key starting with Aliyun", tags([["AliyunOwner", "v"]]), /aliyun or acs:/],
    ["a key starting with acs:", tags([["acs:rm:rgId", "v"]]), /aliyun or acs:/],
    ["an empty key", tags([["", "v"]]), /empty/],
    ["a repeated key", tags([["k", "1"], ["k", "2"]]), /twice/],
    ["extra fields", JSON.stringify([{ TagKey: "k", TagValue: "v", Other: 1 }]), /./],
  ])("refuses %s", (_label, text, message) => {
    const r = refusal(() => parseKmsTags(text));
    expect(r.code).toBe("InvalidParameter");
    expect(r.message).toMatch(/^The specified parameter "Tags" is not valid\./);
    expect(r.message).toMatch(message);
  });

  it("merges new values over old and refuses more than 20 in all", () => {
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"]));
    expect(mergeKmsTags(twenty, { k0: "new" }).k0).toBe("new");
    expect(refusal(() => mergeKmsTags(twenty, { k20: "v" })).code).toBe("Rejected.LimitExceeded");
  });

  it("removes named keys and ignores unknown ones", () => {
    expect(removeKmsTags({ a: "1", b: "2" }, parseKmsTagKeys('["a","zz"]'))).toEqual({ b: "2" });
    expect(refusal(() => parseKmsTagKeys("[]")).code).toBe("InvalidParameter");
    expect(refusal(() => parseKmsTagKeys('"a"')).code).toBe("InvalidParameter");
  });
});
