import { z } from "zod";
import { badParameter } from "./store-errors";

/**
 * Keyset paging: a token names the last row of the previous page, so a page costs one index range
 * scan however deep it is, and rows added or removed meanwhile neither repeat nor vanish.
 */
const TokenSchema = z.strictObject({
  v: z.literal(1),
  /** Which listing the token belongs to; one from another listing is refused. */
  of: z.string(),
  after: z.union([z.string(), z.number()]),
});

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

export function encodeContinuation(of: string, after: string | number): string {
  return Buffer.from(JSON.stringify({ v: 1, of, after }), "utf8").toString("base64url");
}

export function decodeContinuation(token: string, of: string): string | number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const result = TokenSchema.safeParse(parsed);
  if (!result.success || result.data.of !== of) throw invalid();
  return result.data.after;
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badParameter("InvalidPageSize", `maxresults must be a whole number from 1 to ${MAX_PAGE_SIZE}; got ${String(limit)}`);
  }
  return limit;
}

function invalid() {
  return badParameter("InvalidContinuationToken", "the continuation token is not valid for this listing; start again from the first page");
}
