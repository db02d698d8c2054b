import { MAX_TAGS, tagProblems, type TagProblemCode, type Tags } from "@keyward/shared";

/** One editable line of the tags editor; `id` keeps React's rows stable while names are edited. */
export interface TagRow {
  id: number;
  name: string;
  value: string;
}

export type RowProblem = Exclude<TagProblemCode, "TAG_COUNT"> | "TAG_NAME_DUPLICATE";

let nextId = 1;
export const newRow = (name = "", value = ""): TagRow => ({ id: nextId++, name, value });

export const rowsFromTags = (tags: Readonly<Tags> | undefined): TagRow[] => Object.entries(tags ?? {}).map(([name, value]) => newRow(name, value));

export function tagsFromRows(rows: readonly TagRow[]): Tags {
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

export interface DraftCheck {
  /** More rows than Key Vault allows tags. */
  tooMany: boolean;
  /** Per row id: what is wrong with its name and its value. */
  rows: Map<number, { name?: RowProblem; value?: RowProblem }>;
  ok: boolean;
}

/**
 * The shared limits (MAX_TAGS, name and value lengths, counted as the service counts) applied row by
 * row as the user types, plus what only a list of rows can get wrong: the same name twice.
 */
export function checkDraft(rows: readonly TagRow[]): DraftCheck {
  const result: DraftCheck["rows"] = new Map();
  const seen = new Set<string>();
  for (const row of rows) {
    const found: { name?: RowProblem; value?: RowProblem } = {};
    for (const p of tagProblems({ [row.name]: row.value })) {
      if (p.code === "TAG_VALUE_LENGTH") found.value = p.code;
      else if (p.code !== "TAG_COUNT") found.name = p.code;
    }
    if (!found.name && seen.has(row.name)) found.name = "TAG_NAME_DUPLICATE";
    seen.add(row.name);
    if (found.name || found.value) result.set(row.id, found);
  }
  const tooMany = rows.length > MAX_TAGS;
  return { tooMany, rows: result, ok: !tooMany && result.size === 0 };
}
