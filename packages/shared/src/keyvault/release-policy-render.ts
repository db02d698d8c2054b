import type { ClaimCondition, ClaimValue, Condition, ReleasePolicy } from "./release-policy.js";
import { groupOf, issuerKey, pointer, type Group } from "./release-policy-lib.js";

// ---------------------------------------------------------------------------------------------
// Rendering and diff for the editor

const valueText = (v: ClaimValue) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const claimText = (c: ClaimCondition) => `claim ${c.claim} equals ${valueText(c.equals)}`;
const kindText = (kind: Group["kind"]) => (kind === "allOf" ? "all of" : "any of");

/** A one-element group means its element, whichever its kind; rendering it as such reads better. */
function unwrap(group: Group): Group | ClaimCondition {
  const only = group.list.length === 1 ? group.list[0] : undefined;
  if (!only) return group;
  return "claim" in only ? only : unwrap(groupOf(only));
}

function groupLines(group: Group, indent: string): string[] {
  return group.list.flatMap((c) => {
    const inner = "claim" in c ? c : unwrap(groupOf(c));
    return "claim" in inner ? [`${indent}- ${claimText(inner)}`] : [`${indent}- ${kindText(inner.kind)}:`, ...groupLines(inner, `${indent}  `)];
  });
}

/** One line: used in diff messages. */
function summary(c: Condition | Group): string {
  if ("claim" in c) return claimText(c);
  const g = "kind" in c ? c : groupOf(c);
  const inner = unwrap(g);
  return "claim" in inner ? claimText(inner) : `${kindText(inner.kind)} (${inner.list.map(summary).join("; ")})`;
}

const canonical = (c: Condition | Group): string => {
  if ("claim" in c) return JSON.stringify([c.claim, c.equals]);
  const g = "kind" in c ? c : groupOf(c);
  return `${g.kind}[${g.list.map(canonical).join(",")}]`;
};

/**
 * Readable English, e.g. `Release when the attestation comes from https://… and all of:` followed
 * by indented conditions. Authorities with identical conditions are listed together.
 */
export function renderReleasePolicy(policy: ReleasePolicy): string {
  const clusters = new Map<string, { urls: string[]; group: Group }>();
  for (const rule of policy.anyOf) {
    const group = groupOf(rule);
    const key = canonical(group);
    const cluster = clusters.get(key);
    if (cluster) cluster.urls.push(rule.authority);
    else clusters.set(key, { urls: [rule.authority], group });
  }
  const single = clusters.size === 1;
  // Continuation lines of a clause line up under its text: flush left alone, under "  - " in a list.
  const pad = single ? "" : "    ";
  const clauses = [...clusters.values()].map(({ urls, group }) => {
    const inner = unwrap(group);
    const tail = "claim" in inner ? claimText(inner) : `${kindText(inner.kind)}:`;
    const conditions = "claim" in inner ? [] : groupLines(inner, `${pad}  `);
    if (urls.length === 1) return [`the attestation comes from ${urls[0] ?? ""} and ${tail}`, ...conditions];
    return ["the attestation comes from any of these authorities:", ...urls.map((url) => `${pad}  ${url}`), `${pad}and ${tail}`, ...conditions];
  });
  const lines = single
    ? clauses.flatMap(([first = "", ...rest]) => [`Release when ${first}`, ...rest])
    : ["Release when any of these holds:", ...clauses.flatMap(([first = "", ...rest]) => [`  - ${first}`, ...rest])];
  return lines.join("\n");
}

export interface ReleasePolicyChange {
  kind: "added" | "removed" | "changed";
  /** A pointer into the new policy for added/changed, into the current one for removed. */
  path: string;
  message: string;
}

function diffConditions(where: string, a: Group, pathA: string, b: Group, pathB: string, out: ReleasePolicyChange[]) {
  const keysA = a.list.map(canonical);
  const usedA = new Set<number>();
  // Order inside a group does not change its meaning, so identical conditions match wherever they are.
  const leftB: number[] = [];
  b.list.forEach((c, ib) => {
    const ia = keysA.findIndex((k, i) => !usedA.has(i) && k === canonical(c));
    if (ia >= 0) usedA.add(ia);
    else leftB.push(ib);
  });
  const leftA = a.list.map((_c, i) => i).filter((i) => !usedA.has(i));
  const at = (base: string, g: Group, i: number) => pointer(pointer(base, g.kind), i);
  for (const ia of leftA) {
    const ca = a.list[ia];
    if (!ca) continue;
    // Pair a leftover with a like one in the new list: same claim → value change; group → recurse.
    const pos = leftB.findIndex((ib) => {
      const cb = b.list[ib];
      return cb !== undefined && ("claim" in ca ? "claim" in cb && cb.claim === ca.claim : !("claim" in cb));
    });
    const ib = pos >= 0 ? leftB.splice(pos, 1)[0] : undefined;
    const cb = ib === undefined ? undefined : b.list[ib];
    if (ib === undefined || cb === undefined) {
      out.push({ kind: "removed", path: at(pathA, a, ia), message: `${where}: removed ${summary(ca)}` });
    } else if ("claim" in ca && "claim" in cb) {
      const message = `${where}: claim ${cb.claim} now equals ${valueText(cb.equals)} (was ${valueText(ca.equals)})`;
      out.push({ kind: "changed", path: at(pathB, b, ib), message });
    } else if (!("claim" in ca) && !("claim" in cb)) {
      diffGroups(where, groupOf(ca), at(pathA, a, ia), groupOf(cb), at(pathB, b, ib), out);
    }
  }
  for (const ib of leftB) {
    const cb = b.list[ib];
    if (cb) out.push({ kind: "added", path: at(pathB, b, ib), message: `${where}: added ${summary(cb)}` });
  }
}

function diffGroups(where: string, a: Group, pathA: string, b: Group, pathB: string, out: ReleasePolicyChange[]) {
  if (a.kind !== b.kind) {
    out.push({ kind: "changed", path: pathB, message: `${where}: now requires ${kindText(b.kind)} its conditions (was ${kindText(a.kind)})` });
  }
  diffConditions(where, a, pathA, b, pathB, out);
}

/** Human-readable changes from `current` to `next`, for review before saving. Empty when equivalent. */
export function diffReleasePolicies(current: ReleasePolicy, next: ReleasePolicy): ReleasePolicyChange[] {
  const out: ReleasePolicyChange[] = [];
  // Authorities pair by issuer (the k-th occurrence with the k-th: the CVM policy lists one twice).
  const pending = next.anyOf.map((rule, i) => ({ rule, i, key: issuerKey(rule.authority) ?? rule.authority }));
  current.anyOf.forEach((ra, ia) => {
    const pathA = pointer("/anyOf", ia);
    const key = issuerKey(ra.authority) ?? ra.authority;
    const pos = pending.findIndex((p) => p.key === key);
    const match = pos >= 0 ? pending.splice(pos, 1)[0] : undefined;
    if (!match) {
      out.push({ kind: "removed", path: pathA, message: `removed authority ${ra.authority} (${summary(groupOf(ra))})` });
      return;
    }
    const pathB = pointer("/anyOf", match.i);
    if (match.rule.authority !== ra.authority) {
      out.push({
        kind: "changed",
        path: pointer(pathB, "authority"),
        message: `authority now written ${match.rule.authority} (was ${ra.authority}); Keyward treats them as the same issuer, Azure may not`,
      });
    }
    diffGroups(match.rule.authority, groupOf(ra), pathA, groupOf(match.rule), pathB, out);
  });
  for (const { rule, i } of pending) {
    out.push({ kind: "added", path: pointer("/anyOf", i), message: `added authority ${rule.authority} (${summary(groupOf(rule))})` });
  }
  return out;
}

