import { badParameter } from "./errors";
import { KeyMaterialSchema, keySpecOf } from "./material";
import type { KeyMaterial } from "./material";
import { ecInconsistency, rsaInconsistency } from "./lib/consistency";
import { privateKeyObject } from "./lib/key-objects";

/**
 * Key material from a caller's private JWK (Key Vault's plain import, `PUT /keys/{name}` with
 * `key.d`/`key.k`): shape, supported size or curve, and consistency of the private and public
 * halves. Fields other than the key's own (kid, key_ops…) are dropped.
 */
export function materialFromJwk(jwk: unknown): KeyMaterial {
  const parsed = KeyMaterialSchema.safeParse(jwk);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    if (path === "crv") throw badParameter("KeyMaterialUnsupported", `the JWK's curve is not supported; use P-256, P-256K, P-384 or P-521`);
    throw badParameter("KeyMaterialInvalid", `the JWK is not a private RSA, EC or oct key${path ? `: ${path} ${issue?.message ?? ""}` : ""}`.trim());
  }
  const material: KeyMaterial = parsed.data;
  keySpecOf(material);
  if (material.kty === "oct") return material;
  // OpenSSL must accept it too (it is what will use it).
  privateKeyObject(material);
  const problem = material.kty === "RSA" ? rsaInconsistency(material) : ecInconsistency(material);
  if (problem !== undefined) throw badParameter("KeyMaterialInconsistent", `the ${material.kty} key is inconsistent: ${problem}`);
  return material;
}
