import type { KeySearchQuery } from "@keyward/shared";

/** Whether any filter narrows the list (sort and page do not). */
export function queryIsFiltered(q: KeySearchQuery): boolean {
  return Boolean(q.q) || q.type !== undefined || q.enabled !== undefined || q.expiringWithinDays !== undefined || q.tag !== undefined || q.origin !== undefined;
}
