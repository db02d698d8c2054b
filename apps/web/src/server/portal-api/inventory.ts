import {
  EXPIRIES_DEFAULT_DAYS,
  EXPIRIES_LIMIT,
  ExpiriesQuerySchema,
  KEYS_SCOPE,
  TargetError,
  parseKeySearchParams,
  type KeyExpiries,
  type KeySearchItem,
  type KeySearchResult,
} from "@keyward/shared";
import { keyExpiries, searchKeys, type KeySearchRow } from "../store/key-search";
import { versionId } from "../target/bundle";
import type { PortalRoute } from "./route";

/** Base64url characters → modulus bits (Key Vault's `n` carries no leading zero byte). */
const modulusBits = (chars: number) => Math.floor((chars * 6) / 8) * 8;

function item(origin: string, row: KeySearchRow): KeySearchItem {
  return {
    name: row.name,
    kid: versionId({ baseUrl: origin }, row.name, row.latest_version),
    kty: row.kty,
    size: row.n_length === null ? null : modulusBits(row.n_length),
    crv: row.crv,
    enabled: row.enabled,
    nbf: row.nbf,
    exp: row.exp,
    created: row.created,
    updated: row.updated,
    origin: row.origin,
    tags: row.tags,
    managed: row.managed,
  };
}

/** Listing keys is reading keys: the same data action as Key Vault's GET /keys, at `/keys`. */
const readKeys: PortalRoute["access"] = { operation: "getKeys", scope: () => KEYS_SCOPE };

/** The key inventory's search and expiry timeline (the pages' other reads go to the Key Vault API). */
export const inventoryRoutes: PortalRoute[] = [
  {
    method: "GET",
    path: "/keys",
    access: readKeys,
    async run(ctx, { url }) {
      const parsed = parseKeySearchParams(url.searchParams);
      if (!parsed.ok) throw new TargetError("BadParameter", parsed.message, "InvalidSearchParameter");
      const { query } = parsed;
      const { rows, total } = await searchKeys(ctx.target.db, query, ctx.target.ctx.now());
      const body: KeySearchResult = { items: rows.map((row) => item(ctx.origin, row)), total, page: query.page, pageSize: query.pageSize };
      return { body };
    },
  },
  {
    method: "GET",
    path: "/keys/expiries",
    access: readKeys,
    async run(ctx, { url }) {
      const parsed = ExpiriesQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) throw new TargetError("BadParameter", parsed.error.issues.map((i) => i.message).join("; "), "InvalidSearchParameter");
      const days = parsed.data.days ?? EXPIRIES_DEFAULT_DAYS;
      const now = ctx.target.ctx.now();
      const { rows, total } = await keyExpiries(ctx.target.db, days, now);
      const body: KeyExpiries = { now, days, items: rows, total, truncated: total > EXPIRIES_LIMIT };
      return { body };
    },
  },
];
