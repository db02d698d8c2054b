/**
 * Bulk ceremonies name their keys from a pattern: `app-{n}` × 3 → app-1, app-2, app-3; `{n:3}` pads to
 * three digits (app-001) so the names sort in the order they were made. One pattern yields both the
 * names in the target and the HSM labels, so both lists always have the same length and order.
 */

const PLACEHOLDER = /\{n(?::(\d))?\}/g;

export type PatternProblem = "empty" | "noPlaceholder" | "twoPlaceholders" | "badWidth";

export type Expansion = { ok: true; names: string[] } | { ok: false; problem: PatternProblem };

/** Expand `pattern` into `count` names numbered from `start`. A single key needs no placeholder. */
export function expandPattern(pattern: string, count: number, start = 1): Expansion {
  if (!pattern.trim()) return { ok: false, problem: "empty" };
  const matches = [...pattern.matchAll(PLACEHOLDER)];
  if (matches.length > 1) return { ok: false, problem: "twoPlaceholders" };
  if (matches.length === 0) return count === 1 ? { ok: true, names: [pattern] } : { ok: false, problem: "noPlaceholder" };
  const width = Number(matches[0]?.[1] ?? "1");
  if (width < 1 || width > 6) return { ok: false, problem: "badWidth" };
  const names = Array.from({ length: count }, (_, i) => pattern.replace(PLACEHOLDER, String(start + i).padStart(width, "0")));
  return { ok: true, names };
}

/** Whether a pattern numbers its keys (bulk needs it). */
export function hasPlaceholder(pattern: string): boolean {
  return [...pattern.matchAll(PLACEHOLDER)].length > 0;
}

/** The names that occur more than once, in first-seen order. */
export function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const n of names) (seen.has(n) ? twice : seen).add(n);
  return [...twice];
}
