import { base64url } from "jose";
import { parseReleasePolicy, RELEASE_POLICY_CONTENT_TYPE, type ReleasePolicy, type ReleasePolicyIssue, type ReleasePolicyIssueCode } from "./release-policy.js";
import { isObject, kindOf, quote, type Add } from "./release-policy-lib.js";

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

