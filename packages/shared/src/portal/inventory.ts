import { z } from "zod";
import { RECOVERY_LEVELS } from "../keys/attributes.js";
import { EC_CURVES, KEY_TYPES, familyOf, type KeyType } from "../keys/spec.js";
import { MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH } from "../keys/tags.js";

/**
 * The key inventory: the portal API's server-side search (`GET /portal-api/keys`) and expiry timeline
 * (`GET /portal-api/keys/expiries`), and the Key Vault responses the inventory pages read. The query is
 * parsed by the same function on the server (a bad parameter is a 400 naming it) and in the browser
 * (the page's URL holds the query, so reload and back work).
 */

/** How a version's material came to be in the store (the store keeps the same closed set). */
export const KEY_ORIGINS = ["generated", "byok-imported", "imported", "restored"] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];

export const KEY_SEARCH_SORTS = ["name", "created", "updated", "expires"] as const;
export type KeySearchSort = (typeof KEY_SEARCH_SORTS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export const KEY_SEARCH_DEFAULT_PAGE_SIZE = 50;
export const KEY_SEARCH_MAX_PAGE_SIZE = 200;
/** 100 years: further than any key's exp is set in practice, small enough to stay a sane number. */
export const MAX_EXPIRY_WINDOW_DAYS = 36_500;
/** The longest `q`: a key name is at most 127 characters. */
export const MAX_SEARCH_TEXT = 127;

export interface TagFilter {
  name: string;
  /** Absent: the key has the tag, whatever its value. */
  value?: string;
}

export interface KeySearchQuery {
  /** Name contains, case-insensitive. */
  q?: string;
  /** A family (RSA, EC, oct) matches its software and HSM variants; an `-HSM` type matches only itself. */
  type?: KeyType;
  enabled?: boolean;
  /** exp between now and now + N days. */
  expiringWithinDays?: number;
  tag?: TagFilter;
  origin?: KeyOrigin;
  sort: KeySearchSort;
  dir: SortDirection;
  /** From 1. */
  page: number;
  pageSize: number;
}

export const KEY_SEARCH_DEFAULTS = { sort: "name", dir: "asc", page: 1, pageSize: KEY_SEARCH_DEFAULT_PAGE_SIZE } as const satisfies Partial<KeySearchQuery>;

export type KeySearchParse = { ok: true; query: KeySearchQuery } | { ok: false; parameter: string; message: string };

const listed = (values: readonly string[]) => values.join(", ");
const shown = (raw: string) => JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

const wholeNumber = (parameter: string, min: number, max: number) =>
  z.string().transform((raw, ctx) => {
    const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    if (n >= min && n <= max) return n;
    ctx.addIssue({ code: "custom", message: `${parameter} must be a whole number from ${min} to ${max}; got ${shown(raw)}` });
    return z.NEVER;
  });

const oneOf = <T extends string>(parameter: string, values: readonly T[]) =>
  z.string().transform((raw, ctx) => {
    const found = values.find((v) => v === raw);
    if (found !== undefined) return found;
    ctx.addIssue({ code: "custom", message: `${parameter} ${shown(raw)} is not one of ${listed(values)}` });
    return z.NEVER;
  });

/** `name` or `name=value`: the first "=" separates them (a tag name with "=" cannot be searched by value). */
export function parseTagFilter(raw: string): { ok: true; tag: TagFilter } | { ok: false; message: string } {
  const at = raw.indexOf("=");
  const name = at < 0 ? raw : raw.slice(0, at);
  if (name.length === 0) return { ok: false, message: "tag needs a name: write name or name=value" };
  if (name.length > MAX_TAG_NAME_LENGTH) return { ok: false, message: `tag name is ${name.length} characters; the limit is ${MAX_TAG_NAME_LENGTH}` };
  if (at < 0) return { ok: true, tag: { name } };
  const value = raw.slice(at + 1);
  if (value.length > MAX_TAG_VALUE_LENGTH) return { ok: false, message: `tag value is ${value.length} characters; the limit is ${MAX_TAG_VALUE_LENGTH}` };
  return { ok: true, tag: { name, value } };
}

/** One schema per parameter, each refusing in words that start with the parameter's name. */
const PARAMETERS = {
  q: z.string().transform((raw, ctx) => {
    if (raw.length <= MAX_SEARCH_TEXT && /^[0-9A-Za-z-]*$/.test(raw)) return raw;
    ctx.addIssue({
      code: "custom",
      message:
        raw.length > MAX_SEARCH_TEXT
          ? `q is ${raw.length} characters; a key name is at most ${MAX_SEARCH_TEXT}`
          : `q ${shown(raw)} cannot match a key name, which holds only letters, digits and '-'`,
    });
    return z.NEVER;
  }),
  type: oneOf("type", KEY_TYPES),
  enabled: oneOf("enabled", ["true", "false"] as const).transform((v) => v === "true"),
  expiringWithinDays: wholeNumber("expiringWithinDays", 0, MAX_EXPIRY_WINDOW_DAYS),
  tag: z.string().transform((raw, ctx) => {
    const parsed = parseTagFilter(raw);
    if (parsed.ok) return parsed.tag;
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }),
  origin: oneOf("origin", KEY_ORIGINS),
  sort: oneOf("sort", KEY_SEARCH_SORTS),
  dir: oneOf("dir", SORT_DIRECTIONS),
  page: wholeNumber("page", 1, 1_000_000),
  pageSize: wholeNumber("pageSize", 1, KEY_SEARCH_MAX_PAGE_SIZE),
} as const;
type Parameter = keyof typeof PARAMETERS;
export const KEY_SEARCH_PARAMETERS = Object.keys(PARAMETERS) as Parameter[];

/**
 * The search query from URL parameters. Unknown and repeated parameters are refused too: a misspelt
 * filter silently ignored would show keys the user thinks are filtered out.
 */
export function parseKeySearchParams(params: URLSearchParams): KeySearchParse {
  const query: Record<string, unknown> = { ...KEY_SEARCH_DEFAULTS };
  const seen = new Set<string>();
  const entries: [string, string][] = [];
  params.forEach((raw, name) => void entries.push([name, raw]));
  for (const [name, raw] of entries) {
    if (!Object.hasOwn(PARAMETERS, name)) return { ok: false, parameter: name, message: `unknown parameter ${shown(name)}; use ${listed(KEY_SEARCH_PARAMETERS)}` };
    if (seen.has(name)) return { ok: false, parameter: name, message: `${name} is given more than once` };
    seen.add(name);
    // An empty value means "not filtered", as an emptied search box leaves it.
    if (raw === "") continue;
    const parsed = PARAMETERS[name as Parameter].safeParse(raw);
    if (!parsed.success) return { ok: false, parameter: name, message: parsed.error.issues[0]?.message ?? `${name} is not valid` };
    query[name] = parsed.data;
  }
  return { ok: true, query: query as unknown as KeySearchQuery };
}

/** URL parameters for a query, defaults left out so that URLs stay short and stable. */
export function keySearchParams(query: Partial<KeySearchQuery>): URLSearchParams {
  const out = new URLSearchParams();
  const put = (name: Parameter, value: string | number | boolean | undefined, fallback?: string | number) => {
    if (value === undefined || value === "" || value === fallback) return;
    out.set(name, String(value));
  };
  put("q", query.q);
  put("type", query.type);
  put("enabled", query.enabled);
  put("expiringWithinDays", query.expiringWithinDays);
  put("tag", query.tag === undefined ? undefined : query.tag.value === undefined ? query.tag.name : `${query.tag.name}=${query.tag.value}`);
  put("origin", query.origin);
  put("sort", query.sort, KEY_SEARCH_DEFAULTS.sort);
  put("dir", query.dir, KEY_SEARCH_DEFAULTS.dir);
  put("page", query.page, KEY_SEARCH_DEFAULTS.page);
  put("pageSize", query.pageSize, KEY_SEARCH_DEFAULTS.pageSize);
  return out;
}

/** The key types a `type` filter matches. */
export function typesMatching(type: KeyType): KeyType[] {
  return type.endsWith("-HSM") ? [type] : KEY_TYPES.filter((t) => familyOf(t) === type);
}

const unixSeconds = z.number().int();
const TagsOutSchema = z.record(z.string(), z.string());

export const KeySearchItemSchema = z.object({
  name: z.string(),
  /** The latest version's identifier. */
  kid: z.string(),
  kty: z.enum(KEY_TYPES),
  /** RSA modulus bits; null for EC, and for oct keys, whose size Key Vault does not report. */
  size: z.number().int().nullable(),
  crv: z.enum(EC_CURVES).nullable(),
  enabled: z.boolean(),
  nbf: unixSeconds.nullable(),
  exp: unixSeconds.nullable(),
  created: unixSeconds,
  updated: unixSeconds,
  origin: z.enum(KEY_ORIGINS),
  tags: TagsOutSchema,
  managed: z.boolean(),
});
export type KeySearchItem = z.infer<typeof KeySearchItemSchema>;

export const KeySearchResultSchema = z.object({
  items: z.array(KeySearchItemSchema),
  /** Keys matching the filters, on every page. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type KeySearchResult = z.infer<typeof KeySearchResultSchema>;

/** The timeline's window; the most keys one answer lists (the count is always exact). */
export const EXPIRIES_DEFAULT_DAYS = 365;
export const EXPIRIES_MAX_DAYS = 3650;
export const EXPIRIES_LIMIT = 2000;

export const ExpiriesQuerySchema = z.strictObject(
  { days: wholeNumber("days", 1, EXPIRIES_MAX_DAYS).optional() },
  { error: (i) => (i.code === "unrecognized_keys" ? `unknown parameter ${i.keys.map(shown).join(", ")}; use days` : undefined) },
);

export const KeyExpiriesSchema = z.object({
  /** The server's clock, unix seconds: the chart's "today". */
  now: unixSeconds,
  days: z.number().int(),
  /** Keys whose exp is before now + days, expired ones included, soonest first. */
  items: z.array(z.object({ name: z.string(), exp: unixSeconds, enabled: z.boolean() })),
  total: z.number().int(),
  /** True when `total` exceeds what `items` lists. */
  truncated: z.boolean(),
});
export type KeyExpiries = z.infer<typeof KeyExpiriesSchema>;

// ---- Key Vault responses as the inventory pages read them (lenient: unknown fields are dropped) ----

const AttributesOutSchema = z.object({
  enabled: z.boolean(),
  nbf: unixSeconds.optional(),
  exp: unixSeconds.optional(),
  created: unixSeconds,
  updated: unixSeconds,
  recoverableDays: z.number().int().optional(),
  recoveryLevel: z.enum(RECOVERY_LEVELS).optional(),
  exportable: z.boolean().optional(),
  hsmPlatform: z.string().optional(),
});

export const KeyBundleOutSchema = z.object({
  key: z.object({
    kid: z.string(),
    kty: z.enum(KEY_TYPES),
    key_ops: z.array(z.string()).optional(),
    n: z.string().optional(),
    e: z.string().optional(),
    crv: z.enum(EC_CURVES).optional(),
    x: z.string().optional(),
    y: z.string().optional(),
  }),
  attributes: AttributesOutSchema,
  tags: TagsOutSchema.optional(),
  managed: z.boolean().optional(),
  release_policy: z.object({ contentType: z.string(), data: z.string(), immutable: z.boolean() }).optional(),
});
export type KeyBundleOut = z.infer<typeof KeyBundleOutSchema>;

const KeyItemOutSchema = z.object({ kid: z.string(), attributes: AttributesOutSchema, tags: TagsOutSchema.optional(), managed: z.boolean().optional() });
export const KeyItemListOutSchema = z.object({ value: z.array(KeyItemOutSchema), nextLink: z.string().nullable().optional() });
export type KeyItemOut = z.infer<typeof KeyItemOutSchema>;

const DeletedKeyItemOutSchema = KeyItemOutSchema.extend({ recoveryId: z.string(), deletedDate: unixSeconds, scheduledPurgeDate: unixSeconds });
export const DeletedKeyListOutSchema = z.object({ value: z.array(DeletedKeyItemOutSchema), nextLink: z.string().nullable().optional() });
export type DeletedKeyItemOut = z.infer<typeof DeletedKeyItemOutSchema>;

export const RotationPolicyOutSchema = z.object({
  id: z.string().optional(),
  lifetimeActions: z.array(
    z.object({
      trigger: z.object({ timeAfterCreate: z.string().optional(), timeBeforeExpiry: z.string().optional() }),
      action: z.object({ type: z.string() }),
    }),
  ),
  attributes: z.object({ expiryTime: z.string().optional(), created: unixSeconds.optional(), updated: unixSeconds.optional() }),
});
export type RotationPolicyOut = z.infer<typeof RotationPolicyOutSchema>;

/** The last path segment of a Key Vault identifier (`…/keys/{name}` or `…/deletedkeys/{name}`). */
export function nameFromId(id: string): string {
  const parts = new URL(id).pathname.split("/").filter(Boolean);
  const at = parts.findIndex((p) => p === "keys" || p === "deletedkeys");
  return decodeURIComponent(parts[at + 1] ?? "");
}
