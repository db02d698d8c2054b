import type { Condition, ReleasePolicyIssueCode } from "./release-policy.js";

/** Internals shared by the release-policy modules; not part of the package's exports. */
export type Group = { kind: "allOf" | "anyOf"; list: readonly Condition[] };
export type Add = (path: string, code: ReleasePolicyIssueCode, message: string) => void;
export interface Walk {
  add: Add;
  /** Conditions seen under the current authority. */
  count: number;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const has = (o: Record<string, unknown>, key: string) => Object.hasOwn(o, key);
export const pointer = (base: string, key: string | number) => `${base}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
export const kindOf = (v: unknown) =>
  v === null ? "null" : v === undefined ? "nothing" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
/** C0 controls and DEL: they would break the rendering, and the URL parser silently drops some of them. */
export const hasControl = (text: string) => [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
/** Untrusted text quoted back in a message, shortened so a pasted blob does not fill the form. */
export const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

export const groupOf = (node: { readonly allOf: readonly Condition[] } | { readonly anyOf: readonly Condition[] }): Group =>
  "allOf" in node ? { kind: "allOf", list: node.allOf } : { kind: "anyOf", list: node.anyOf };


/** Scheme, host and path without trailing slashes: MAA issuers appear both with and without "/". */
export function issuerKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" || u.search !== "" || u.hash !== "" || u.username !== "" || u.password !== "") return undefined;
    return `https://${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return undefined;
  }
}
