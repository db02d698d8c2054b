import { z } from "zod";

/** Key Vault limits, exported so a form can enforce them while typing. */
export const MAX_TAGS = 15;
export const MAX_TAG_NAME_LENGTH = 256;
export const MAX_TAG_VALUE_LENGTH = 256;

export type Tags = Record<string, string>;

export type TagProblemCode = "TAG_COUNT" | "TAG_NAME_EMPTY" | "TAG_NAME_LENGTH" | "TAG_VALUE_LENGTH";
export interface TagProblem {
  code: TagProblemCode;
  message: string;
  /** The offending tag name; absent for the count problem. */
  tag?: string;
}

/**
 * Characters are counted as UTF-16 code units (String#length), as the service (.NET) does,
 * so an emoji counts as two.
 */
export function tagLength(text: string): number {
  return text.length;
}

const PREVIEW_CHARS = 16;

/** Enough of a name to recognise it without echoing 300 characters back; never splits a surrogate pair. */
function preview(name: string): string {
  const chars = Array.from(name);
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join("")}…` : name;
}

export function tagProblems(tags: Readonly<Tags>): TagProblem[] {
  const problems: TagProblem[] = [];
  const names = Object.keys(tags);
  if (names.length > MAX_TAGS) {
    problems.push({ code: "TAG_COUNT", message: `${names.length} tags given; the limit is ${MAX_TAGS}` });
  }
  for (const name of names) {
    const value = tags[name] ?? "";
    if (name.length === 0) {
      problems.push({ code: "TAG_NAME_EMPTY", message: "a tag name is empty; every tag needs a name", tag: name });
    }
    if (tagLength(name) > MAX_TAG_NAME_LENGTH) {
      problems.push({
        code: "TAG_NAME_LENGTH",
        message: `tag name '${preview(name)}' is ${tagLength(name)} characters; the limit is ${MAX_TAG_NAME_LENGTH}`,
        tag: name,
      });
    }
    if (tagLength(value) > MAX_TAG_VALUE_LENGTH) {
      problems.push({
        code: "TAG_VALUE_LENGTH",
        message: `the value of tag '${preview(name)}' is ${tagLength(value)} characters; the limit is ${MAX_TAG_VALUE_LENGTH}`,
        tag: name,
      });
    }
  }
  return problems;
}

export const TagsSchema = z
  .record(
    z.string(),
    z.string({ error: (i) => `tag values must be strings; got ${i.input === null ? "null" : typeof i.input}` }),
    { error: "tags must be an object of name → value strings" },
  )
  .superRefine((tags, ctx) => {
    for (const { code, message, tag } of tagProblems(tags)) {
      ctx.addIssue({ code: "custom", message, path: tag === undefined ? [] : [tag], params: { code } });
    }
  });
