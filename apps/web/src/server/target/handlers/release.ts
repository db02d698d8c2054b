import { KeyReleaseParametersSchema, TargetError, decodeReleasePolicy, evaluateReleasePolicy, operationAllowedAt } from "@keyward/shared";
import { base64url } from "jose";
import { releaseKeyMaterial, type RsaPublicJwk } from "../../crypto";
import { keyId, toKeyBundle } from "../bundle";
import type { TargetHandler } from "../context";
import { parseJson } from "../http";
import { keyName } from "./keys";

/** The first RSA key of the token's runtime JWKS usable for encryption (facts §3.2). */
function runtimeKey(claims: Record<string, unknown>): RsaPublicJwk & { kid?: string } {
  const runtime = claims["x-ms-runtime"];
  const keys = typeof runtime === "object" && runtime !== null ? (runtime as { keys?: unknown }).keys : undefined;
  const found = (Array.isArray(keys) ? keys : []).find((k: unknown): k is { kty: "RSA"; n: string; e: string; kid?: string } => {
    if (typeof k !== "object" || k === null) return false;
    const j = k as Record<string, unknown>;
    const forEncryption = j.key_use === "enc" || j.use === "enc" || (Array.isArray(j.key_ops) && j.key_ops.includes("encrypt"));
    return j.kty === "RSA" && typeof j.n === "string" && typeof j.e === "string" && forEncryption;
  });
  if (!found) throw new TargetError("BadParameter", "the attestation carries no RSA encryption key in x-ms-runtime.keys to release the key to", "AttestationNoRuntimeKey");
  return { kty: "RSA", n: found.n, e: found.e, ...(found.kid ? { kid: found.kid } : {}) };
}

/**
 * Secure key release: an exportable key leaves the target only wrapped for the runtime key of an
 * attested environment whose attestation — from a trusted authority — satisfies the key's release policy.
 */
export const releaseHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeyReleaseParametersSchema);
  const name = keyName(req.route.name);
  const record = await ctx.store.getKey(name, req.route.version);
  const v = record.version;
  if (!v.attributes.exportable || !v.releasePolicy) {
    throw new TargetError("Forbidden", `key ${record.key.name} is not exportable; only keys created exportable with a release policy can be released`, "KeyNotExportable");
  }
  const allowed = operationAllowedAt("release", { enabled: v.attributes.enabled, nbf: v.attributes.nbf ?? undefined, exp: v.attributes.exp ?? undefined }, ctx.now());
  if (!allowed.ok) throw new TargetError("Forbidden", `Operation release is not allowed: ${allowed.message}`, "KeyDisabled");
  const attestation = await ctx.release.verifier.verify(p.target);
  const policy = decodeReleasePolicy(v.releasePolicy);
  if (!policy.ok) throw new TargetError("InternalError", "the key's stored release policy is not readable");
  if (!evaluateReleasePolicy(policy.policy, { iss: attestation.iss, claims: attestation.claims })) {
    throw new TargetError("Forbidden", `the attestation does not satisfy the release policy of key ${record.key.name}`, "ReleasePolicyNotSatisfied");
  }
  const target = runtimeKey(attestation.claims);
  const enc = p.enc ?? "CKM_RSA_AES_KEY_WRAP";
  const material = await ctx.materials.get(ctx.store, record.key.name, v.version);
  const ciphertext = releaseKeyMaterial(material, { kty: "RSA", n: target.n, e: target.e }, enc);
  const keyHsm = base64url.encode(JSON.stringify({ schema_version: "1.0", header: { kid: target.kid ?? "TpmEphemeralEncryptionKey", alg: "dir", enc }, ciphertext: base64url.encode(ciphertext) }));
  const bundle = toKeyBundle(req.naming, record);
  const value = await ctx.release.signer.sign({
    request: { "api-version": req.url.searchParams.get("api-version") ?? "", enc, kid: keyId(req.naming, record.key.name), ...(p.nonce ? { nonce: p.nonce } : {}) },
    response: { key: { ...bundle, key: { ...bundle.key, key_hsm: keyHsm } } },
  });
  return { body: { value } };
};
