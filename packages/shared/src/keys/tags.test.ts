import { describe, expect, it } from "vitest";
import { MAX_TAGS, MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH, TagsSchema, tagLength, tagProblems } from "./tags.js";

const tagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag${i}`, `value${i}`]));

const issuesOf = (input: unknown) => {
  const result = TagsSchema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => ({ message: i.message, path: i.path, params: "params" in i ? i.params : undefined }));
};

describe("tag limits", () => {
  it("are Key Vault's: 15 tags, 256-character names and values", () => {
    expect([MAX_TAGS, MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH]).toEqual([15, 256, 256]);
  });

  it("accepts the limits exactly", () => {
    const tags = tagsOf(MAX_TAGS - 1);
    tags["n".repeat(256)] = "v".repeat(256);
    expect(TagsSchema.parse(tags)).toEqual(tags);
    expect(tagProblems(tags)).toEqual([]);
  });

  it("accepts no tags and non-Latin text", () => {
    expect(TagsSchema.parse({})).toEqual({});
    expect(TagsSchema.parse({ 用途: "本番環境の署名鍵", 部门: "安全" })).toEqual({ 用途: "本番環境の署名鍵", 部门: "安全" });
  });

  it("counts characters as UTF-16 code units, as the service does", () => {
    expect(tagLength("鍵")).toBe(1);
    expect(tagLength("🔑")).toBe(2);
    expect(tagProblems({ k: "🔑".repeat(128) })).toEqual([]);
    expect(tagProblems({ k: "🔑".repeat(129) }).map((p) => p.code)).toEqual(["TAG_VALUE_LENGTH"]);
  });
});

describe("TagsSchema refusals", () => {
  it("too many tags", () => {
    expect(issuesOf(tagsOf(16))).toEqual([
      { message: "16 tags given; the limit is 15", path: [], params: { code: "TAG_COUNT" } },
    ]);
  });

  it("a name over 256 characters, shown shortened", () => {
    const name = "x".repeat(300);
    expect(issuesOf({ [name]: "v" })).toEqual([
      {
        message: "tag name 'xxxxxxxxxxxxxxxx…' is 300 characters; the limit is 256",
        path: [name],
        params: { code: "TAG_NAME_LENGTH" },
      },
    ]);
  });

  it("a value over 256 characters, naming its tag", () => {
    expect(issuesOf({ owner: "v".repeat(257) })).toEqual([
      {
        message: "the value of tag 'owner' is 257 characters; the limit is 256",
        path: ["owner"],
        params: { code: "TAG_VALUE_LENGTH" },
      },
    ]);
  });

  it("an empty name", () => {
    expect(issuesOf({ "": "orphan" })).toEqual([
      { message: "a tag name is empty; every tag needs a name", path: [""], params: { code: "TAG_NAME_EMPTY" } },
    ]);
  });

  it("a value that is not a string", () => {
    expect(issuesOf({ rotation: 90 }).map((i) => i.message)).toEqual(["tag values must be strings; got number"]);
    expect(issuesOf({ rotation: null }).map((i) => i.message)).toEqual(["tag values must be strings; got null"]);
  });

  it("something that is not an object", () => {
    expect(issuesOf("env=prod").map((i) => i.message)).toEqual(["tags must be an object of name → value strings"]);
  });

  it("reports every problem, and never splits a character when shortening a name", () => {
    const name = "🔑".repeat(130);
    const problems = tagProblems({ ...tagsOf(15), [name]: "x".repeat(300) });
    expect(problems.map((p) => p.code)).toEqual(["TAG_COUNT", "TAG_NAME_LENGTH", "TAG_VALUE_LENGTH"]);
    expect(problems[1]?.message).toBe(`tag name '${"🔑".repeat(16)}…' is 260 characters; the limit is 256`);
  });
});
