import { has, hasControl, isObject, kindOf, pointer, quote, type Group, type Walk } from "./release-policy-lib.js";

/**
 * Secure Key Release policies, grammar 1.0.0 (facts §3.1): the types and parsing, with every problem
 * reported at once (a form validates as you type). The wire envelope, evaluation, and the rendering and
 * diff the editor shows are in the release-policy-* modules beside this one.
 */

/** The only grammar documented for Key Vault and Managed HSM; "0.2" is the legacy preview form. */
export const RELEASE_POLICY_VERSION = "1.0.0";
export const RELEASE_POLICY_CONTENT_TYPE = "application/json; charset=utf-8";

/** Conditions (claims and nested groups) nest at most this deep, counting the authority's own group. */
export const MAX_POLICY_DEPTH = 8;
/**
 * Counted per authority, not per policy: the real CVM policy (51 regional authorities × 4
 * conditions) must parse, and a per-policy limit of 64 would refuse it.
 */
export const MAX_CONDITIONS_PER_AUTHORITY = 64;
/** Head-room over the 51 regional attestation providers of the CVM policy. */
export const MAX_AUTHORITIES = 128;
export const MAX_CLAIM_NAME_LENGTH = 256;

export type ClaimValue = string | number | boolean;
export interface ClaimCondition {
  readonly claim: string;
  readonly equals: ClaimValue;
}
export interface AnyOfCondition {
  readonly anyOf: readonly Condition[];
}
export interface AllOfCondition {
  readonly allOf: readonly Condition[];
}
export type Condition = ClaimCondition | AnyOfCondition | AllOfCondition;
export type AuthorityRule = { readonly authority: string } & (
  | { readonly allOf: readonly Condition[] }
  | { readonly anyOf: readonly Condition[] }
);
export interface ReleasePolicy {
  readonly version: typeof RELEASE_POLICY_VERSION;
  readonly anyOf: readonly AuthorityRule[];
}

export type ReleasePolicyIssueCode =
  | "POLICY_JSON"
  | "POLICY_TYPE"
  | "POLICY_VERSION"
  | "POLICY_VERSION_LEGACY"
  | "POLICY_FIELD_UNKNOWN"
  | "POLICY_FIELD_MISSING"
  | "POLICY_LIST_EMPTY"
  | "POLICY_AUTHORITY_URL"
  | "POLICY_GROUP"
  | "POLICY_CONDITION_SHAPE"
  | "POLICY_OPERATOR"
  | "POLICY_LEGACY_CONDITION"
  | "POLICY_CLAIM_NAME"
  | "POLICY_CLAIM_VALUE"
  | "POLICY_DEPTH"
  | "POLICY_TOO_MANY_CONDITIONS"
  | "POLICY_TOO_MANY_AUTHORITIES"
  | "POLICY_WIRE"
  | "POLICY_CONTENT_TYPE"
  | "POLICY_BASE64"
  | "POLICY_UTF8";

export interface ReleasePolicyIssue {
  /** A JSON pointer into the policy document ("" is the whole document), for a form to place the message. */
  path: string;
  code: ReleasePolicyIssueCode;
  message: string;
}
export type ReleasePolicyParse = { ok: true; policy: ReleasePolicy } | { ok: false; issues: ReleasePolicyIssue[] };

// ---------------------------------------------------------------------------------------------
// Parsing

/** In the EBNF but refused by the service: "In the first iteration, the only allowed condition is equals". */
const OPERATORS = ["notEquals", "less", "lessOrEquals", "greater", "greaterOrEquals", "exists"];
/** The legacy 0.2 claim condition was {"claim","condition":"equals","value"}. */
const LEGACY_FIELDS = ["condition", "value"];
const KNOWN_FIELDS = ["version", "anyOf", "allOf", "authority", "claim", "equals"];
const EXAMPLE_AUTHORITY = "https://sharedeus.eus.attest.azure.net/";
const CONDITION_FORMS = '{"claim":"…","equals":…}, {"anyOf":[…]} or {"allOf":[…]}';

/** `hint` says what belongs here; a near miss in letter case ("anyof") gets a "did you mean" instead. */
function unknownField(path: string, key: string, w: Walk, hint: string) {
  const near = KNOWN_FIELDS.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
  w.add(pointer(path, key), "POLICY_FIELD_UNKNOWN", `unknown field ${quote(key)}; ${near ? `did you mean "${near}"?` : hint}`);
}

/** Reads the list under `key` (present), reporting a non-list or an empty list. */
function readList(o: Record<string, unknown>, key: string, path: string, what: "authority" | "condition", w: Walk): unknown[] | undefined {
  const at = pointer(path, key);
  const v = o[key];
  if (!Array.isArray(v)) {
    w.add(at, "POLICY_TYPE", `${key} must be a list of ${what === "authority" ? "authorities" : "conditions"}; got ${kindOf(v)}`);
    return undefined;
  }
  if (v.length === 0) w.add(at, "POLICY_LIST_EMPTY", `${key} is empty; list at least one ${what}`);
  return v;
}

function checkVersion(o: Record<string, unknown>, w: Walk) {
  if (!has(o, "version")) {
    w.add("/version", "POLICY_FIELD_MISSING", `version is missing; write "version":"${RELEASE_POLICY_VERSION}"`);
    return;
  }
  const v = o.version;
  if (v === RELEASE_POLICY_VERSION) return;
  if (typeof v === "string" && v.startsWith("0.")) {
    w.add(
      "/version",
      "POLICY_VERSION_LEGACY",
      `version ${quote(v)} is the legacy preview grammar and is not accepted; write ` +
        `{"version":"1.0.0","anyOf":[{"authority":"https://…","allOf":[{"claim":"…","equals":…}]}]}`,
    );
    return;
  }
  const shown = typeof v === "string" ? quote(v) : typeof v === "number" || typeof v === "boolean" ? String(v) : kindOf(v);
  w.add("/version", "POLICY_VERSION", `version ${shown} is not supported; use "${RELEASE_POLICY_VERSION}"`);
}

function authorityProblem(s: string): string | undefined {
  if (/\s/.test(s) || hasControl(s)) return "contains spaces or control characters";
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:") return "is not an https URL";
  if (url.username !== "" || url.password !== "") return "contains a user name or password";
  if (s.includes("?") || s.includes("#")) return "has a query or fragment";
  return undefined;
}

function claimNameProblem(name: string): string | undefined {
  if (name.length === 0) return "claim name is empty";
  if (name.length > MAX_CLAIM_NAME_LENGTH) return `claim name is ${name.length} characters; the limit is ${MAX_CLAIM_NAME_LENGTH}`;
  if (hasControl(name)) return `claim name ${quote(name)} contains a control character`;
  if (name.split(".").some((segment) => segment === "")) {
    return `claim name ${quote(name)} has an empty segment; dots separate nested claims, e.g. x-ms-isolation-tee.x-ms-attestation-type`;
  }
  return undefined;
}

function readClaim(o: Record<string, unknown>, path: string, w: Walk): ClaimCondition | undefined {
  let ok = true;
  let refusedOperator = false;
  for (const key of Object.keys(o)) {
    if (key === "claim" || key === "equals") continue;
    ok = false;
    if (OPERATORS.includes(key)) {
      refusedOperator = true;
      w.add(pointer(path, key), "POLICY_OPERATOR", `"${key}" is in the grammar, but only "equals" is supported in this version`);
    } else if (!LEGACY_FIELDS.includes(key)) {
      unknownField(path, key, w, `a claim condition has only "claim" and "equals"`);
    }
  }
  if (LEGACY_FIELDS.some((k) => has(o, k))) {
    refusedOperator = true;
    w.add(path, "POLICY_LEGACY_CONDITION", `{"claim","condition","value"} is the legacy 0.2 form; in 1.0.0 write {"claim":"…","equals":…}`);
  }
  const claim = o.claim;
  if (!has(o, "claim")) {
    ok = false;
    w.add(pointer(path, "claim"), "POLICY_FIELD_MISSING", "claim is missing; name the attestation claim to test");
  } else if (typeof claim !== "string") {
    ok = false;
    w.add(pointer(path, "claim"), "POLICY_TYPE", `claim must be a string naming a claim; got ${kindOf(claim)}`);
  } else {
    const problem = claimNameProblem(claim);
    if (problem) {
      ok = false;
      w.add(pointer(path, "claim"), "POLICY_CLAIM_NAME", problem);
    }
  }
  const value = o.equals;
  if (!has(o, "equals")) {
    ok = false;
    // A refused operator already says what to write instead.
    if (!refusedOperator) w.add(pointer(path, "equals"), "POLICY_FIELD_MISSING", "equals is missing; give the value the claim must have");
  } else if (!(typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))) {
    ok = false;
    w.add(
      pointer(path, "equals"),
      "POLICY_CLAIM_VALUE",
      `equals takes a string, a number or true/false; got ${kindOf(value)} (arrays, objects and null are not allowed)`,
    );
  }
  return ok && typeof claim === "string" && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    ? { claim, equals: value }
    : undefined;
}

/** Reads the allOf/anyOf of an authority or a group condition; `depth` is the depth of this group. */
function readGroup(o: Record<string, unknown>, path: string, depth: number, w: Walk): Group | undefined {
  const kinds = (["allOf", "anyOf"] as const).filter((k) => has(o, k));
  if (kinds.length !== 1) {
    w.add(path, "POLICY_GROUP", kinds.length === 0 ? `add "allOf" or "anyOf" with the conditions` : `give either "allOf" or "anyOf", not both`);
    return undefined;
  }
  const kind = kinds[0] ?? "allOf";
  if (depth > MAX_POLICY_DEPTH) {
    // Not descended: a hostile document could otherwise nest deep enough to exhaust the stack.
    w.add(path, "POLICY_DEPTH", `conditions nest more than ${MAX_POLICY_DEPTH} levels deep; flatten the policy`);
    return undefined;
  }
  const items = readList(o, kind, path, "condition", w);
  if (!items) return undefined;
  const list: Condition[] = [];
  items.forEach((item, i) => {
    const condition = readCondition(item, pointer(pointer(path, kind), i), depth, w);
    if (condition) list.push(condition);
  });
  return list.length === items.length && list.length > 0 ? { kind, list } : undefined;
}

function readCondition(v: unknown, path: string, depth: number, w: Walk): Condition | undefined {
  if (!isObject(v)) {
    w.add(path, "POLICY_TYPE", `a condition is an object: ${CONDITION_FORMS}; got ${kindOf(v)}`);
    return undefined;
  }
  w.count += 1;
  const claimLike = ["claim", "equals", ...OPERATORS, ...LEGACY_FIELDS].some((k) => has(v, k));
  const groupLike = has(v, "allOf") || has(v, "anyOf");
  if (claimLike && groupLike) {
    w.add(path, "POLICY_CONDITION_SHAPE", "a condition is either a claim test or an allOf/anyOf group, not both");
    return undefined;
  }
  if (claimLike) return readClaim(v, path, w);
  if (!groupLike) {
    for (const key of Object.keys(v)) unknownField(path, key, w, `a condition is ${CONDITION_FORMS}`);
    if (Object.keys(v).length === 0) w.add(path, "POLICY_CONDITION_SHAPE", `empty condition; write ${CONDITION_FORMS}`);
    return undefined;
  }
  for (const key of Object.keys(v)) if (key !== "allOf" && key !== "anyOf") unknownField(path, key, w, `a group has only "allOf" or "anyOf"`);
  const group = readGroup(v, path, depth + 1, w);
  return group && (group.kind === "allOf" ? { allOf: group.list } : { anyOf: group.list });
}

function readAuthority(v: unknown, path: string, w: Walk): AuthorityRule | undefined {
  if (!isObject(v)) {
    w.add(path, "POLICY_TYPE", `an authority is an object like {"authority":"https://…","allOf":[…]}; got ${kindOf(v)}`);
    return undefined;
  }
  for (const key of Object.keys(v)) {
    if (key === "authority" || key === "allOf" || key === "anyOf") continue;
    const inside = key === "claim" || key === "equals" || OPERATORS.includes(key);
    unknownField(path, key, w, inside ? "claim conditions go inside the authority's allOf or anyOf" : `an authority has "authority" and "allOf" or "anyOf"`);
  }
  const authority = v.authority;
  let url: string | undefined;
  if (!has(v, "authority")) {
    w.add(pointer(path, "authority"), "POLICY_FIELD_MISSING", `authority is missing; give the attestation issuer's https URL, e.g. "${EXAMPLE_AUTHORITY}"`);
  } else if (typeof authority !== "string") {
    w.add(pointer(path, "authority"), "POLICY_TYPE", `authority must be a string URL; got ${kindOf(authority)}`);
  } else {
    const problem = authorityProblem(authority);
    if (problem) {
      const fix = `give the attestation issuer's https URL, e.g. "${EXAMPLE_AUTHORITY}"`;
      w.add(pointer(path, "authority"), "POLICY_AUTHORITY_URL", `authority ${quote(authority)} ${problem}; ${fix}`);
    } else url = authority;
  }
  w.count = 0;
  const group = readGroup(v, path, 1, w);
  if (w.count > MAX_CONDITIONS_PER_AUTHORITY) {
    w.add(path, "POLICY_TOO_MANY_CONDITIONS", `this authority has ${w.count} conditions; the limit is ${MAX_CONDITIONS_PER_AUTHORITY}`);
    return undefined;
  }
  if (url === undefined || !group) return undefined;
  return group.kind === "allOf" ? { authority: url, allOf: group.list } : { authority: url, anyOf: group.list };
}

/** Validates a policy document (already JSON-parsed) and returns every problem found. */
export function parseReleasePolicy(input: unknown): ReleasePolicyParse {
  const issues: ReleasePolicyIssue[] = [];
  const w: Walk = { add: (path, code, message) => void issues.push({ path, code, message }), count: 0 };
  if (!isObject(input)) {
    w.add("", "POLICY_TYPE", `a release policy is an object like {"version":"1.0.0","anyOf":[…]}; got ${kindOf(input)}`);
    return { ok: false, issues };
  }
  for (const key of Object.keys(input)) {
    if (key === "version" || key === "anyOf") continue;
    const hint =
      key === "allOf" ? `the top level takes "anyOf", a list of authorities; "allOf" goes inside an authority` : `the top level has "version" and "anyOf"`;
    unknownField("", key, w, hint);
  }
  checkVersion(input, w);
  const authorities: AuthorityRule[] = [];
  let items: unknown[] | undefined;
  if (!has(input, "anyOf")) {
    w.add("/anyOf", "POLICY_FIELD_MISSING", `anyOf is missing; list the authorities, e.g. [{"authority":"${EXAMPLE_AUTHORITY}","allOf":[…]}]`);
  } else {
    items = readList(input, "anyOf", "", "authority", w);
  }
  if (items && items.length > MAX_AUTHORITIES) {
    w.add("/anyOf", "POLICY_TOO_MANY_AUTHORITIES", `${items.length} authorities listed; the limit is ${MAX_AUTHORITIES}`);
  } else {
    items?.forEach((item, i) => {
      const rule = readAuthority(item, pointer("/anyOf", i), w);
      if (rule) authorities.push(rule);
    });
  }
  return issues.length === 0 ? { ok: true, policy: { version: RELEASE_POLICY_VERSION, anyOf: authorities } } : { ok: false, issues };
}

/** The editor's entry point: text as typed, JSON syntax errors included. */
export function parseReleasePolicyJson(text: string): ReleasePolicyParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: "", code: "POLICY_JSON", message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  return parseReleasePolicy(value);
}

