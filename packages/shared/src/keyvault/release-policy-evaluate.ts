import type { ClaimValue, Condition, ReleasePolicy } from "./release-policy.js";
import { groupOf, isObject, issuerKey, type Group } from "./release-policy-lib.js";

// ---------------------------------------------------------------------------------------------
// Evaluation

const MISSING = Symbol("missing");


/** Dots navigate nested objects; own properties only, so "constructor" is not found on every token. */
function lookup(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = claims;
  for (const segment of path.split(".")) {
    if (!isObject(node) || !Object.hasOwn(node, segment)) return MISSING;
    node = node[segment];
  }
  return node;
}

/** Type-strict, except that Key Vault echoes boolean claims as "true"/"false" (facts §3.1). */
function claimMatches(actual: unknown, expected: ClaimValue): boolean {
  if (typeof expected === "boolean" && typeof actual === "string") return actual === String(expected);
  return actual === expected;
}

function holds(group: Group, claims: Readonly<Record<string, unknown>>): boolean {
  // parseReleasePolicy never yields an empty group; a hand-built one fails closed ([].every is true).
  if (group.list.length === 0) return false;
  const test = (c: Condition): boolean => ("claim" in c ? claimMatches(lookup(claims, c.claim), c.equals) : holds(groupOf(c), claims));
  return group.kind === "allOf" ? group.list.every(test) : group.list.some(test);
}

/** Whether the claims of a verified attestation token from issuer `iss` satisfy the policy. */
export function evaluateReleasePolicy(policy: ReleasePolicy, token: { iss: string; claims: Readonly<Record<string, unknown>> }): boolean {
  const iss = issuerKey(token.iss);
  if (iss === undefined) return false;
  return policy.anyOf.some((rule) => issuerKey(rule.authority) === iss && holds(groupOf(rule), token.claims));
}

