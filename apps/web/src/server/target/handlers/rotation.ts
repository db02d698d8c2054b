import { DEFAULT_KEY_ROTATION_POLICY, TargetError, addDuration, parseIsoDuration, parseKeyRotationPolicy } from "@keyward/shared";
import { generateKeyMaterial, keySpecOf } from "../../crypto";
import type { StoredRotationPolicy } from "../../store";
import { keyId, toKeyBundle, type Naming } from "../bundle";
import type { TargetContext, TargetHandler } from "../context";
import { parseJson } from "../http";
import { encodeMaterial } from "../material";
import { z } from "zod";
import { keyName, publicFields } from "./keys";

/** A key without a policy reports the default one: notify 30 days before expiry. */
function policyBody(n: Naming, name: string, stored: StoredRotationPolicy | null) {
  const lifetimeActions = stored ? stored.lifetimeActions : DEFAULT_KEY_ROTATION_POLICY.lifetimeActions;
  return {
    id: `${keyId(n, name)}/rotationpolicy`,
    lifetimeActions,
    attributes: {
      ...(stored?.expiryTime ? { expiryTime: stored.expiryTime } : {}),
      ...(stored ? { created: stored.created, updated: stored.updated } : {}),
    },
  };
}

/**
 * Rotate: a new version of the same type, size and key_ops, generated here. A key whose material came
 * from an HSM through BYOK cannot be rotated by the target: its next version must come the same way.
 */
export async function rotate(ctx: TargetContext, n: Naming, name: string) {
  const latest = await ctx.store.getKey(name);
  if (latest.version.origin === "byok-imported" || latest.version.origin === "imported") {
    throw new TargetError("BadParameter", `key ${latest.key.name} holds imported material; rotate it by importing a new version (a new BYOK ceremony)`, "RotateImportedKey");
  }
  const current = await ctx.materials.get(ctx.store, latest.key.name, latest.version.version);
  const material = await generateKeyMaterial(keySpecOf(current));
  const policy = await ctx.store.getRotationPolicy(name);
  let exp: number | undefined;
  if (policy?.expiryTime) {
    const d = parseIsoDuration(policy.expiryTime);
    if (d.ok) exp = addDuration(ctx.now(), d.duration);
  }
  const v = latest.version;
  const bundle = await ctx.store.addVersion(name, {
    kty: v.kty,
    keyOps: v.keyOps,
    enabled: true,
    exp,
    exportable: v.attributes.exportable,
    tags: v.tags,
    releasePolicy: v.releasePolicy,
    publicJwk: publicFields(material),
    material: encodeMaterial(material),
    origin: "generated",
    hsmPlatform: "0",
  });
  return toKeyBundle(n, bundle);
}

export const rotateKey: TargetHandler = async (ctx, req) => ({ body: await rotate(ctx, req.naming, keyName(req.route.name)) });

export const getKeyRotationPolicy: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const key = await ctx.store.getKey(name);
  return { body: policyBody(req.naming, key.key.name, await ctx.store.getRotationPolicy(name)) };
};

export const updateKeyRotationPolicy: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  const raw = parseJson(req.body, z.object({}).loose());
  const parsed = parseKeyRotationPolicy(raw);
  if (!parsed.ok) throw new TargetError("BadParameter", parsed.issues.map((i) => `${i.path || "/"}: ${i.message}`).join("; "), "RotationPolicyInvalid");
  const stored = await ctx.store.setRotationPolicy(name, {
    lifetimeActions: parsed.policy.lifetimeActions.map((a) => ({ trigger: { ...a.trigger }, action: { type: a.action.type } })),
    expiryTime: parsed.policy.attributes.expiryTime ?? null,
  });
  return { body: policyBody(req.naming, (await ctx.store.getKey(name)).key.name, stored) };
};
