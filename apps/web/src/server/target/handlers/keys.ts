import {
  KeyCreateParametersSchema,
  KeyImportParametersSchema,
  KeyNameSchema,
  KeyUpdateParametersSchema,
  type KeyCreateParameters,
  TargetError,
  canChangeReleasePolicy,
  checkValidityWindow,
  familyOf,
  type ListResponse,
  type KeyItem,
} from "@keyward/shared";
import { generateKeyMaterial, publicJwkOf, type KeyMaterial } from "../../crypto";
import type { NewKey } from "../../store";
import { toDeletedKeyBundle, toKeyBundle, toKeyItem, type Naming } from "../bundle";
import type { TargetHandler } from "../context";
import { parseJson } from "../http";
import { checkExportable, checkKeyOpsChange, keyOpsFor, releasePolicyFrom, specForCreate } from "../key-rules";
import { encodeMaterial } from "../material";
import { importFromRequest } from "./import";

export function keyName(raw: string | undefined): string {
  const parsed = KeyNameSchema.safeParse(raw);
  if (!parsed.success) throw new TargetError("BadParameter", `key name ${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/** Public fields of a material's JWK, as the store keeps them next to the sealed material. */
export function publicFields(material: KeyMaterial): NewKey["publicJwk"] {
  const jwk = publicJwkOf(material);
  if (jwk.kty === "RSA") return { n: jwk.n, e: jwk.e };
  if (jwk.kty === "EC") return { crv: jwk.crv, x: jwk.x, y: jwk.y };
  return {};
}

/** What create and import share: attributes, tags and policy from the request, material made or opened. */
function newKey(
  name: string,
  kty: NewKey["kty"],
  keyOps: NewKey["keyOps"],
  p: { attributes?: KeyCreateParameters["attributes"]; tags?: KeyCreateParameters["tags"] },
  releasePolicy: NewKey["releasePolicy"],
  material: KeyMaterial,
  origin: NewKey["origin"],
): NewKey {
  return {
    name,
    kty,
    keyOps,
    enabled: p.attributes?.enabled,
    nbf: p.attributes?.nbf,
    exp: p.attributes?.exp,
    exportable: p.attributes?.exportable,
    tags: p.tags,
    releasePolicy,
    publicJwk: publicFields(material),
    material: encodeMaterial(material),
    origin,
    hsmPlatform: "0",
  };
}

export const createKey: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const p = parseJson(req.body, KeyCreateParametersSchema);
  const spec = specForCreate(p);
  const keyOps = keyOpsFor(familyOf(p.kty), p.key_ops);
  const releasePolicy = releasePolicyFrom(p.release_policy);
  checkExportable(p.attributes?.exportable, releasePolicy);
  const material = await generateKeyMaterial(spec);
  const { bundle } = await ctx.store.createOrAddVersion(newKey(name, p.kty, keyOps, p, releasePolicy, material, "generated"));
  return { body: toKeyBundle(req.naming, bundle) };
};

export const importKey: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const p = parseJson(req.body, KeyImportParametersSchema);
  const releasePolicy = releasePolicyFrom(p.release_policy);
  checkExportable(p.attributes?.exportable, releasePolicy);
  const { material, origin } = await importFromRequest(ctx, p);
  const keyOps = keyOpsFor(familyOf(p.key.kty), p.key.key_ops);
  if (keyOps.includes("import")) throw new TargetError("BadParameter", "an imported key cannot be a KEK; create KEKs in the target", "KeyOpsInvalid");
  const { bundle } = await ctx.store.createOrAddVersion(newKey(name, p.key.kty, keyOps, p, releasePolicy, material, origin));
  return { body: toKeyBundle(req.naming, bundle) };
};

export const getKey: TargetHandler = async (ctx, req) => ({
  body: toKeyBundle(req.naming, await ctx.store.getKey(keyName(req.route.name), req.route.version)),
});

export const updateKey: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const p = parseJson(req.body, KeyUpdateParametersSchema);
  if (p.attributes?.exportable !== undefined) throw new TargetError("BadParameter", "the exportable state of a key cannot be modified", "ExportableImmutable");
  const nextPolicy = p.release_policy === undefined ? undefined : releasePolicyFrom(p.release_policy);
  const bundle = await ctx.store.updateVersion(name, req.route.version, (current) => {
    if (p.key_ops) checkKeyOpsChange(current.keyOps, p.key_ops, current.kty);
    const window = checkValidityWindow({
      nbf: p.attributes?.nbf ?? current.attributes.nbf ?? undefined,
      exp: p.attributes?.exp ?? current.attributes.exp ?? undefined,
    });
    if (!window.ok) throw new TargetError("BadParameter", window.message, "AttributesInvalid");
    if (nextPolicy) {
      const check = canChangeReleasePolicy(current.releasePolicy ?? undefined, nextPolicy);
      if (!check.ok) throw new TargetError("BadParameter", check.message, "ReleasePolicyImmutable");
    }
    return {
      keyOps: p.key_ops,
      enabled: p.attributes?.enabled,
      nbf: p.attributes?.nbf,
      exp: p.attributes?.exp,
      tags: p.tags,
      releasePolicy: nextPolicy,
    };
  });
  return { body: toKeyBundle(req.naming, bundle) };
};

export const deleteKeyHandler: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const bundle = await ctx.store.deleteKey(name);
  return { body: toDeletedKeyBundle(req.naming, bundle) };
};

/** Key Vault pages lists with `maxresults` (1–25) and an opaque `$skiptoken` in `nextLink`. */
export function pageOf(url: URL): { limit: number; continuation: string | null } {
  const raw = url.searchParams.get("maxresults");
  const limit = raw === null ? 25 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 25) throw new TargetError("BadParameter", "maxresults must be a whole number from 1 to 25");
  return { limit, continuation: url.searchParams.get("$skiptoken") };
}

export function nextLink(n: Naming, url: URL, continuation: string | null): string | null {
  if (!continuation) return null;
  const next = new URL(url.pathname, n.baseUrl);
  for (const [k, v] of url.searchParams) if (k !== "$skiptoken") next.searchParams.set(k, v);
  next.searchParams.set("$skiptoken", continuation);
  return next.toString();
}

export const getKeys: TargetHandler = async (ctx, req) => {
  const page = await ctx.store.listKeys(pageOf(req.url));
  const body: ListResponse<KeyItem> = { value: page.items.map((r) => toKeyItem(req.naming, r, false)), nextLink: nextLink(req.naming, req.url, page.continuation) };
  return { body };
};

export const getKeyVersions: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const latest = await ctx.store.getKey(name);
  const page = await ctx.store.listVersions(name, pageOf(req.url));
  const body: ListResponse<KeyItem> = {
    value: page.items.map((version) => toKeyItem(req.naming, { key: latest.key, version }, true)),
    nextLink: nextLink(req.naming, req.url, page.continuation),
  };
  return { body };
};
