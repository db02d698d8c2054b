/**
 * The string an RPC request signature (version 1.0, HMAC-SHA1) is computed over:
 *
 *   METHOD & percent("/") & percent(k1=v1&k2=v2&…)
 *
 * over every parameter of the query and the form body except `Signature`, sorted by name, names and
 * values percent-encoded as RFC 3986 (space as %20, `~` kept). The key is `<AccessKeySecret>&`. The
 * HMAC itself is computed by the server (this package does no cryptography).
 */
export const RPC_SIGNATURE_METHOD = "HMAC-SHA1";
export const RPC_SIGNATURE_VERSION = "1.0";

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes. */
export function rpcPercentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function rpcCanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== "Signature")
    .sort()
    .map((name) => `${rpcPercentEncode(name)}=${rpcPercentEncode(params[name] ?? "")}`)
    .join("&");
}

export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${rpcPercentEncode("/")}&${rpcPercentEncode(rpcCanonicalQuery(params))}`;
}
