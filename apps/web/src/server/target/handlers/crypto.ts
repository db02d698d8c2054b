import {
  KeyOperationsParametersSchema,
  KeySignParametersSchema,
  KeyVerifyParametersSchema,
  RandomBytesRequestSchema,
  TargetError,
  isAlgorithm,
  operationAllowedAt,
  type Algorithm,
  type KeyOp,
  type KeyOperation,
} from "@keyward/shared";
import { base64url } from "jose";
import * as crypto from "../../crypto";
import type { KeyMaterial } from "../../crypto";
import type { KeyBundleRecord } from "../../store";
import { versionId } from "../bundle";
import type { TargetContext, TargetHandler, TargetRequest } from "../context";
import { parseJson } from "../http";
import { keyName } from "./keys";

const b64 = (bytes: Uint8Array) => base64url.encode(bytes);
const bytes = (text: string) => base64url.decode(text.replace(/=+$/, ""));

function algorithm(alg: string): Algorithm {
  if (!isAlgorithm(alg)) throw new TargetError("BadParameter", `algorithm ${JSON.stringify(alg)} is not supported`, "AlgorithmNotSupported");
  return alg;
}

/**
 * The checks every cryptographic operation passes before the material is touched: the key is enabled,
 * inside its nbf/exp window (decrypt, unwrapKey and verify still work outside it), and its key_ops
 * permit the operation — so a KEK, whose key_ops are only "import", can never encrypt or decrypt.
 */
async function usableKey(ctx: TargetContext, req: TargetRequest, op: KeyOperation & KeyOp): Promise<{ record: KeyBundleRecord; material: KeyMaterial; kid: string }> {
  const name = keyName(req.route.name);
  const record = await ctx.keyRecords.get(ctx.store, name, req.route.version);
  const v = record.version;
  const allowed = operationAllowedAt(op, { enabled: v.attributes.enabled, nbf: v.attributes.nbf ?? undefined, exp: v.attributes.exp ?? undefined }, ctx.now());
  if (!allowed.ok) throw new TargetError("Forbidden", `Operation ${op} is not allowed: ${allowed.message}`, allowed.code === "KEY_DISABLED" ? "KeyDisabled" : "KeyNotValid");
  if (!v.keyOps.includes(op)) throw new TargetError("Forbidden", `Operation ${op} is not permitted by the key_ops of key ${record.key.name} (${v.keyOps.join(", ")})`, "KeyOperationNotPermitted");
  const material = await ctx.materials.get(ctx.store, record.key.name, v.version);
  return { record, material, kid: versionId(req.naming, record.key.name, v.version) };
}

export const encryptHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeyOperationsParametersSchema);
  const { material, kid } = await usableKey(ctx, req, "encrypt");
  const r = crypto.encrypt(material, algorithm(p.alg), bytes(p.value), {
    ...(p.iv ? { iv: bytes(p.iv) } : {}),
    ...(p.aad ? { aad: bytes(p.aad) } : {}),
  });
  return { body: { kid, value: b64(r.value), ...(r.iv ? { iv: b64(r.iv) } : {}), ...(r.tag ? { tag: b64(r.tag) } : {}), ...(p.aad ? { aad: p.aad } : {}) } };
};

export const decryptHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeyOperationsParametersSchema);
  const { material, kid } = await usableKey(ctx, req, "decrypt");
  const plaintext = await crypto.decryptOffLoop(material, algorithm(p.alg), bytes(p.value), {
    ...(p.iv ? { iv: bytes(p.iv) } : {}),
    ...(p.aad ? { aad: bytes(p.aad) } : {}),
    ...(p.tag ? { tag: bytes(p.tag) } : {}),
  });
  return { body: { kid, value: b64(plaintext) } };
};

export const wrapKeyHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeyOperationsParametersSchema);
  const { material, kid } = await usableKey(ctx, req, "wrapKey");
  return { body: { kid, value: b64(crypto.wrapKey(material, algorithm(p.alg), bytes(p.value))) } };
};

export const unwrapKeyHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeyOperationsParametersSchema);
  const { material, kid } = await usableKey(ctx, req, "unwrapKey");
  return { body: { kid, value: b64(await crypto.unwrapKeyOffLoop(material, algorithm(p.alg), bytes(p.value))) } };
};

export const signHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeySignParametersSchema);
  const { material, kid } = await usableKey(ctx, req, "sign");
  return { body: { kid, value: b64(await crypto.signOffLoop(material, algorithm(p.alg), bytes(p.value))) } };
};

export const verifyHandler: TargetHandler = async (ctx, req) => {
  const p = parseJson(req.body, KeyVerifyParametersSchema);
  const { material } = await usableKey(ctx, req, "verify");
  return { body: { value: crypto.verify(material, algorithm(p.alg), bytes(p.digest), bytes(p.value)) } };
};

export const rngHandler: TargetHandler = async (_ctx, req) => {
  const p = parseJson(req.body, RandomBytesRequestSchema);
  return { body: { value: b64(crypto.rng(p.count)) } };
};
