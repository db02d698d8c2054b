import { MAX_TAGS, MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH } from "@keyward/shared";
import { describe, expect, it } from "vitest";
import { checkDraft, newRow, rowsFromTags, tagsFromRows } from "./tags-draft";

describe("tags draft", () => {
  it("round-trips tags through rows", () => {
    expect(tagsFromRows(rowsFromTags({ env: "prod", owner: "" }))).toEqual({ env: "prod", owner: "" });
  });

  it("accepts the limits exactly and flags one character over, per row and field", () => {
    const atLimit = newRow("n".repeat(MAX_TAG_NAME_LENGTH), "v".repeat(MAX_TAG_VALUE_LENGTH));
    const longName = newRow("n".repeat(MAX_TAG_NAME_LENGTH + 1), "");
    const longValue = newRow("ok", "v".repeat(MAX_TAG_VALUE_LENGTH + 1));
    const check = checkDraft([atLimit, longName, longValue]);
    expect(check.rows.get(atLimit.id)).toBeUndefined();
    expect(check.rows.get(longName.id)).toEqual({ name: "TAG_NAME_LENGTH" });
    expect(check.rows.get(longValue.id)).toEqual({ value: "TAG_VALUE_LENGTH" });
    expect(check.ok).toBe(false);
  });

  it("counts an emoji as two characters, as the service does", () => {
    const row = newRow("😀".repeat(MAX_TAG_NAME_LENGTH / 2 + 1), "");
    expect(checkDraft([row]).rows.get(row.id)).toEqual({ name: "TAG_NAME_LENGTH" });
  });

  it("flags an empty name, a repeated name and more than the allowed number of tags", () => {
    const a = newRow("env", "prod");
    const b = newRow("env", "test");
    const empty = newRow("", "x");
    const check = checkDraft([a, b, empty]);
    expect(check.rows.get(a.id)).toBeUndefined();
    expect(check.rows.get(b.id)).toEqual({ name: "TAG_NAME_DUPLICATE" });
    expect(check.rows.get(empty.id)).toEqual({ name: "TAG_NAME_EMPTY" });
    const many = Array.from({ length: MAX_TAGS + 1 }, (_, i) => newRow(`t${i}`, ""));
    expect(checkDraft(many)).toMatchObject({ tooMany: true, ok: false });
    expect(checkDraft(many.slice(0, MAX_TAGS))).toMatchObject({ tooMany: false, ok: true });
  });
});
