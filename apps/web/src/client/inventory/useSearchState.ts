"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { KEY_SEARCH_DEFAULTS, keySearchParams, parseKeySearchParams, type KeySearchQuery } from "@keyward/shared";

/** What the URL says that is valid: a bad parameter is left out, the others kept, so fixing one filter keeps the rest. */
function validPart(raw: string): KeySearchQuery {
  const params = new URLSearchParams(raw);
  for (let tries = 0; tries < 20; tries++) {
    const parsed = parseKeySearchParams(params);
    if (parsed.ok) return parsed.query;
    params.delete(parsed.parameter);
  }
  return { ...KEY_SEARCH_DEFAULTS };
}

/**
 * The inventory's query lives in the page URL, so reload, back and a shared link show the same list.
 * The raw query string goes to the server as it is: a bad parameter in a pasted link is refused there
 * and its words shown next to the filter concerned.
 */
export function useSearchState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.toString();
  const query = useMemo(() => validPart(raw), [raw]);
  // Where the last change is taking the URL, until the URL gets there: two quick changes (a filter
  // chosen while typed text is still being applied) must build on each other, not on the rendered URL.
  const pending = useRef<{ query: KeySearchQuery; raw: string } | undefined>(undefined);
  if (pending.current?.raw === raw) pending.current = undefined;
  useEffect(() => {
    const forget = () => (pending.current = undefined);
    window.addEventListener("popstate", forget);
    return () => window.removeEventListener("popstate", forget);
  }, []);

  const go = useCallback(
    (next: KeySearchQuery, how: "push" | "replace") => {
      const qs = keySearchParams(next).toString();
      pending.current = { query: next, raw: qs };
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (how === "push") router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [pathname, router],
  );
  /** Any change but a page change starts again at page 1. Typing replaces the history entry; choices push one. */
  const update = useCallback(
    (patch: Partial<KeySearchQuery>, how: "push" | "replace" = "push") => go({ ...(pending.current?.query ?? query), page: 1, ...patch }, how),
    [go, query],
  );
  const reset = useCallback(() => go({ ...KEY_SEARCH_DEFAULTS }, "push"), [go]);
  return { raw, query, update, reset };
}
