import { TargetError, operationAllowedAt, isKekOps, type KeyImportParameters } from "@keyward/shared";
import { base64url } from "jose";
import { importByok, materialFromJwk, readByok, type KeyMaterial, type RsaKeyMaterial } from "../../crypto";
import type { KeyOrigin } from "../../store";
import type { TargetContext } from "../context";

const bad = (message: string, inner: string) => new TargetError("BadParameter", message, inner);

/** `https://host/keys/{name}/{version}` → name and version; the host is not compared (127.0.0.1 vs localhost). */
function kekFromKid(kid: string): { name: string; version: string } {
  let path: string[];
  try {
    path = new URL(kid).pathname.split("/").filter(Boolean);
  } catch {
    throw bad(`the .byok header kid ${JSON.stringify(kid)} is not a key identifier URL`, "ByokKekNotFound");
  }
  const [collection, name, version, ...rest] = path;
  if (collection !== "keys" || !name || !version || rest.length) {
    throw bad(`the .byok header kid ${JSON.stringify(kid)} does not name a versioned key (…/keys/{name}/{version})`, "ByokKekNotFound");
  }
  return { name, version };
}

/**
 * Find the KEK a `.byok` names and check it may import: in this target, import-only, enabled and inside
 * its nbf/exp window. Every refusal is a 400 and nothing is written.
 */
async function kekFor(ctx: TargetContext, kid: string): Promise<RsaKeyMaterial> {
  const { name, version } = kekFromKid(kid);
  const record = await ctx.store.getKey(name, version).catch((err: unknown) => {
    if (err instanceof TargetError && err.code === "KeyNotFound") throw bad(`the KEK ${kid} is not a key of this target`, "ByokKekNotFound");
    throw err;
  });
  const v = record.version;
  if (!isKekOps(v.keyOps)) throw bad(`key ${name} is not a KEK: its key_ops must be exactly ["import"]`, "ByokKekNotImportOnly");
  const allowed = operationAllowedAt("import", { enabled: v.attributes.enabled, nbf: v.attributes.nbf ?? undefined, exp: v.attributes.exp ?? undefined }, ctx.now());
  if (!allowed.ok) throw bad(`the KEK ${name} cannot be used: ${allowed.message}`, allowed.code === "KEY_DISABLED" ? "ByokKekDisabled" : "ByokKekNotValid");
  const material = await ctx.materials.get(ctx.store, name, v.version);
  if (material.kty !== "RSA") throw bad(`key ${name} is not an RSA KEK`, "ByokKekNotImportOnly");
  return material;
}

/** The material of an import request: a `.byok` opened with its KEK, or a plain private JWK. */
export async function importFromRequest(ctx: TargetContext, p: KeyImportParameters): Promise<{ material: KeyMaterial; origin: KeyOrigin }> {
  if (p.key.key_hsm !== undefined) {
    if (!p.key.kty.endsWith("-HSM")) throw bad(`a .byok import declares kty RSA-HSM, EC-HSM or oct-HSM; got ${p.key.kty}`, "ByokKeyType");
    let file: Uint8Array;
    try {
      file = base64url.decode(p.key.key_hsm.replace(/=+$/, ""));
    } catch {
      throw bad("key_hsm is not base64url", "ByokMalformed");
    }
    const envelope = readByok(file);
    const kek = await kekFor(ctx, envelope.kid);
    const imported = importByok(envelope, kek, { kty: p.key.kty, crv: p.key.crv });
    return { material: imported.material, origin: "byok-imported" };
  }
  return { material: materialFromJwk(p.key), origin: "imported" };
}
