import { base64url } from "jose";

/**
 * Secure Key Release policies, grammar 1.0.0 (facts §3.1): parse with every problem reported at
 * once (a form validates as you type), the Key Vault wire envelope, evaluation against the claims
 * of an already-verified attestation token, and the readable rendering and diff the editor shows.
 * Signature verification of the attestation token is the server's job, not this module's.
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

type Group = { kind: "allOf" | "anyOf"; list: readonly Condition[] };
type Add = (path: string, code: ReleasePolicyIssueCode, message: string) => void;
interface Walk {
  add: Add;
  /** Conditions seen under the current authority. */
  count: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: Record<string, unknown>, key: string) => Object.hasOwn(o, key);
const pointer = (base: string, key: string | number) => `${base}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
const kindOf = (v: unknown) =>
  v === null ? "null" : v === undefined ? "nothing" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
/** Untrusted text quoted back in a message, shortened so a pasted blob does not fill the form. */
/** C0 controls and DEL: they would break the rendering, and the URL parser silently drops some of them. */
const hasControl = (text: string) => [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

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

// ---------------------------------------------------------------------------------------------
// Wire form (KeyReleasePolicy in KeyBundle, create/import/update bodies)

export interface KeyReleasePolicyWire {
  contentType: string;
  /** base64url (unpadded) of the policy JSON. */
  data: string;
  immutable: boolean;
}
export type ReleasePolicyDecode =
  | { ok: true; policy: ReleasePolicy; immutable: boolean }
  | { ok: false; issues: ReleasePolicyIssue[] };

export function encodeReleasePolicy(policy: ReleasePolicy, options: { immutable?: boolean } = {}): KeyReleasePolicyWire {
  return { contentType: RELEASE_POLICY_CONTENT_TYPE, data: base64url.encode(JSON.stringify(policy)), immutable: options.immutable ?? false };
}

function contentTypeProblem(contentType: string): string | undefined {
  const [media = "", ...params] = contentType.split(";").map((p) => p.trim().toLowerCase());
  if (media !== "application/json") return `contentType ${quote(contentType)} is not application/json`;
  // Other parameters (the legacy "version=1.0") say nothing the data does not; only the charset matters.
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replaceAll('"', "");
  if (charset !== undefined && charset !== "utf-8") return `contentType charset ${quote(charset)} is not utf-8`;
  return undefined;
}

/** The decoded document, or undefined after reporting why there is none. */
function decodeData(data: string, add: Add): unknown {
  const fail = (code: ReleasePolicyIssueCode, message: string) => void add("/data", code, message);
  if (data.length === 0) return fail("POLICY_WIRE", "data is empty; it must hold the base64url-encoded policy JSON");
  if (/[+/]/.test(data)) return fail("POLICY_BASE64", "data must be base64url (with - and _), not standard base64 (with + and /)");
  const unpadded = data.replace(/={1,2}$/, "");
  // Padding is optional, but when present it must make a whole number of 4-character groups.
  const padded = unpadded.length !== data.length;
  if (!/^[A-Za-z0-9_-]*$/.test(unpadded) || unpadded.length % 4 === 1 || (padded && data.length % 4 !== 0)) {
    return fail("POLICY_BASE64", "data is not valid base64url");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(base64url.decode(unpadded));
  } catch {
    return fail("POLICY_UTF8", "data does not decode to UTF-8 text");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return fail("POLICY_JSON", `data does not hold valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Decodes and validates the wire envelope. Envelope problems have paths /contentType, /data,
 * /immutable; problems inside the policy have paths into the decoded policy document.
 */
export function decodeReleasePolicy(wire: unknown): ReleasePolicyDecode {
  const issues: ReleasePolicyIssue[] = [];
  const add: Add = (path, code, message) => void issues.push({ path, code, message });
  if (!isObject(wire)) {
    add("", "POLICY_WIRE", `a release policy is sent as {"contentType","data","immutable"}; got ${kindOf(wire)}`);
    return { ok: false, issues };
  }
  const { contentType, data, immutable } = wire;
  if (contentType !== undefined) {
    const problem = typeof contentType === "string" ? contentTypeProblem(contentType) : `contentType must be a string; got ${kindOf(contentType)}`;
    if (problem) add("/contentType", "POLICY_CONTENT_TYPE", `${problem}; use "${RELEASE_POLICY_CONTENT_TYPE}"`);
  }
  if (immutable !== undefined && typeof immutable !== "boolean") add("/immutable", "POLICY_WIRE", `immutable must be true or false; got ${kindOf(immutable)}`);
  let document: unknown;
  if (typeof data !== "string") {
    const problem = data === undefined ? "data is missing; it must hold the base64url-encoded policy JSON" : `data must be a string; got ${kindOf(data)}`;
    add("/data", "POLICY_WIRE", problem);
  } else {
    const before = issues.length;
    document = decodeData(data, add);
    if (issues.length === before) {
      const parsed = parseReleasePolicy(document);
      if (!parsed.ok) issues.push(...parsed.issues);
      else if (issues.length === 0) return { ok: true, policy: parsed.policy, immutable: immutable === true };
    }
  }
  return { ok: false, issues };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const MISSING = Symbol("missing");

/** Scheme, host and path without trailing slashes: MAA issuers appear both with and without "/". */
function issuerKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" || u.search !== "" || u.hash !== "" || u.username !== "" || u.password !== "") return undefined;
    return `https://${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return undefined;
  }
}

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

const groupOf = (node: { readonly allOf: readonly Condition[] } | { readonly anyOf: readonly Condition[] }): Group =>
  "allOf" in node ? { kind: "allOf", list: node.allOf } : { kind: "anyOf", list: node.anyOf };

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

// ---------------------------------------------------------------------------------------------
// Immutability

export type ReleasePolicyChangeCheck =
  | { ok: true }
  | { ok: false; code: "POLICY_IMMUTABLE" | "POLICY_IMMUTABLE_RESET"; message: string };

/**
 * "Once marked immutable, this flag cannot be reset and the policy cannot be changed under any
 * circumstances" (keys.json KeyReleasePolicy.immutable). Call it whenever a request carries a
 * release policy; making a mutable policy immutable is allowed.
 */
export function canChangeReleasePolicy(
  current: { immutable: boolean } | undefined,
  next: { immutable?: boolean | undefined },
): ReleasePolicyChangeCheck {
  if (current?.immutable !== true) return { ok: true };
  if (next.immutable === false) {
    return { ok: false, code: "POLICY_IMMUTABLE_RESET", message: "immutable cannot be set back to false: the release policy is immutable and cannot be changed" };
  }
  return { ok: false, code: "POLICY_IMMUTABLE", message: "the release policy is immutable and cannot be changed" };
}
