import {
  AES_SIZES,
  DEFAULT_KEY_OPS,
  RSA_SIZES,
  TargetError,
  decodeReleasePolicy,
  encodeReleasePolicy,
  familyOf,
  isKekOps,
  keyOpsProblems,
  type KeyCreateParameters,
  type KeyFamily,
  type KeyOp,
  type KeySpec,
  type KeyType,
  type RsaSize,
  type ReleasePolicyWire,
} from "@keyward/shared";
import type { ReleasePolicy } from "../store";

const bad = (message: string, inner?: string) => new TargetError("BadParameter", message, inner);

/** The key to generate for a create request: Key Vault's defaults are RSA-2048, P-256 and AES-256. */
export function specForCreate(p: KeyCreateParameters): KeySpec {
  const family = familyOf(p.kty);
  if (family === "RSA") {
    if (p.crv) throw bad("crv applies to EC keys only");
    if (p.public_exponent !== undefined && p.public_exponent !== 65537) throw bad("public_exponent must be 65537");
    const size = p.key_size ?? 2048;
    if (!(RSA_SIZES as readonly number[]).includes(size)) throw bad(`RSA key size ${size} is not supported; use ${RSA_SIZES.join(", ")}`, "KeySizeNotSupported");
    return { kty: "RSA", size: size as RsaSize };
  }
  if (family === "EC") {
    if (p.key_size !== undefined) throw bad("key_size does not apply to EC keys; give crv");
    return { kty: "EC", crv: p.crv ?? "P-256" };
  }
  if (p.crv) throw bad("crv applies to EC keys only");
  const size = p.key_size ?? 256;
  if (!(AES_SIZES as readonly number[]).includes(size)) throw bad(`AES key size ${size} is not supported; use ${AES_SIZES.join(", ")}`, "KeySizeNotSupported");
  return { kty: "oct", size: size as 128 | 192 | 256 };
}

/**
 * key_ops for a new version: the family's defaults when absent; `import` only on an RSA KEK, and then
 * alone (a KEK may never decrypt: its RSA-OAEP decrypt would open every .byok made for it).
 */
export function keyOpsFor(family: KeyFamily, requested: readonly KeyOp[] | undefined): KeyOp[] {
  const ops = requested ? [...requested] : [...DEFAULT_KEY_OPS[family]];
  const problems = keyOpsProblems(ops, family);
  if (problems.length) throw bad(problems.map((p) => p.message).join("; "), "KeyOpsInvalid");
  return ops;
}

/** A KEK stays a KEK and nothing else becomes one: key_ops may change only within the same kind. */
export function checkKeyOpsChange(current: readonly KeyOp[], next: readonly KeyOp[], kty: KeyType): void {
  keyOpsFor(familyOf(kty), next);
  if (isKekOps(current) !== isKekOps(next)) {
    throw bad(
      isKekOps(current) ? "a KEK's key_ops are exactly [\"import\"] and cannot change" : "an existing key cannot become a KEK; create a new RSA key with key_ops [\"import\"]",
      "KekKeyOpsImmutable",
    );
  }
}

/** Validate a release policy on the wire and keep it in the store's form. */
export function releasePolicyFrom(wire: ReleasePolicyWire | undefined): ReleasePolicy | undefined {
  if (!wire) return undefined;
  const decoded = decodeReleasePolicy(wire);
  if (!decoded.ok) throw bad(`release_policy: ${decoded.issues.map((i) => `${i.path || "/"}: ${i.message}`).join("; ")}`, "ReleasePolicyInvalid");
  return encodeReleasePolicy(decoded.policy, { immutable: decoded.immutable });
}

export function checkExportable(exportable: boolean | undefined, policy: ReleasePolicy | undefined): void {
  if (exportable && !policy) throw bad("an exportable key needs a release policy", "ReleasePolicyRequired");
}
