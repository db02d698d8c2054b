import { createHash } from "node:crypto";
import pkcs11js from "pkcs11js";
import { BridgeError, serializeByok, type Kek, type TokenKey, type WrapResult } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { oaepMechanism, type OaepHash } from "./oaep.js";
import type { KeyDirectory } from "./directory.js";
import { parseKek, type KekPublicKey } from "./kek.js";

/** Room for the largest wrapped target (RSA-4096 PKCS#8 is ~2.4 KB). */
const MAX_WRAPPED_TARGET = 8192;

/** A KEK public key imported into a session as a session object, for one or many wraps. */
export interface SessionKek {
  kek: Kek;
  key: KekPublicKey;
  handle: Buffer;
}

export function importKek(s: Session, kek: Kek): SessionKek {
  const key = parseKek(kek.publicKeyPem);
  return { kek, key, handle: importRsaPublicKey(s, key) };
}

/** An RSA public key as a session object that may wrap; destroyed with the session at the latest. */
export function importRsaPublicKey(s: Session, key: KekPublicKey): Buffer {
  return s.p11.C_CreateObject(s.handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_WRAP, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: true },
    { type: pkcs11js.CKA_MODULUS, value: key.modulus },
    { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: key.exponent },
  ]);
}

export function releaseKek(s: Session, k: SessionKek): void {
  destroyQuietly(s, k.handle);
}

/** One wrap with its own session KEK object. */
export async function wrapForKek(s: Session, targetLabel: string, kek: Kek, ctx: WrapContext): Promise<WrapResult> {
  const k = importKek(s, kek);
  try {
    return await wrapWithKek(s, targetLabel, k, ctx);
  } finally {
    releaseKek(s, k);
  }
}

export interface WrapContext {
  kwp: number | null;
  generator: string;
  directory: KeyDirectory;
}

/** Build a `.byok` key-transfer blob for the KEK from the token key labelled `targetLabel` (see twoStepWrap). */
export function wrapWithKek(s: Session, targetLabel: string, k: SessionKek, ctx: WrapContext): Promise<WrapResult> {
  return ctx.directory.use(s, targetLabel, async ({ handle, info }) => wrapKnown(s, handle, info, targetLabel, k, ctx));
}

function wrapKnown(s: Session, target: Buffer, info: TokenKey, targetLabel: string, k: SessionKek, ctx: WrapContext): WrapResult {
  requireWrappable(info, targetLabel);
  if (ctx.kwp === null) throw new BridgeError("MECHANISM_UNSUPPORTED", "this token has no AES key wrap with padding (RFC 5649); it cannot produce a BYOK blob");
  const blob = twoStepWrap(s, target, k.handle, k.key.size, "SHA-1", ctx.kwp);
  const byok = serializeByok({ kid: k.kek.kid, ciphertext: new Uint8Array(blob), generator: ctx.generator });
  return {
    byok,
    sha256: createHash("sha256").update(byok).digest("hex"),
    path: "two-step",
    target: info,
    kek: { kid: k.kek.kid, size: k.key.size },
  };
}

/** A key may leave the token only wrapped, only if extractable, and only if Keyward knows its type. */
export function requireWrappable(info: TokenKey, targetLabel: string): asserts info is TokenKey & { spec: NonNullable<TokenKey["spec"]> } {
  if (!info.extractable) {
    throw new BridgeError(
      "TARGET_NOT_EXTRACTABLE",
      `key "${targetLabel}" is not extractable (CKA_EXTRACTABLE is false): the HSM policy forbids it from leaving the token, even wrapped; generate the target with Keyward or as extractable`,
    );
  }
  if (!info.spec) throw new BridgeError("UNSUPPORTED_KEY", `key "${targetLabel}" is not an RSA 2048/3072/4096, EC P-256/P-256K/P-384/P-521 or AES 128/192/256 key`);
}

/**
 * RSA-OAEP(wrapping key, ephemeral AES-256) || AES-KWP(ephemeral, target), entirely inside the token
 * (CKM_RSA_AES_KEY_WRAP's output). The ephemeral key is a session object, destroyed before returning;
 * the target's plaintext never leaves the HSM.
 */
export function twoStepWrap(s: Session, target: Buffer, wrappingKey: Buffer, wrappingKeyBits: number, oaepHash: OaepHash, kwp: number): Buffer {
  const { p11, handle } = s;
  let ephemeral: Buffer | undefined;
  try {
    // Synchronous on purpose: each call is ~0.1 ms, less than a thread-pool hand-off costs. Long calls
    // (key-pair generation) stay asynchronous, and batches yield to the event loop between keys.
    ephemeral = p11.C_GenerateKey(handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      { type: pkcs11js.CKA_WRAP, value: true },
    ]);
    const wrappedTarget = p11.C_WrapKey(handle, { mechanism: kwp }, ephemeral, target, Buffer.alloc(MAX_WRAPPED_TARGET));
    const wrappedKey = p11.C_WrapKey(handle, oaepMechanism(oaepHash), wrappingKey, ephemeral, Buffer.alloc(wrappingKeyBits / 8));
    if (wrappedKey.length !== wrappingKeyBits / 8) throw new BridgeError("HSM_ERROR", "the HSM returned an RSA-OAEP block of the wrong length");
    return Buffer.concat([wrappedKey, wrappedTarget]);
  } finally {
    if (ephemeral) destroyQuietly(s, ephemeral);
  }
}

export function destroyQuietly(s: Session, object: Buffer): void {
  try {
    s.p11.C_DestroyObject(s.handle, object);
  } catch {
    // Session objects die with the session anyway, which withSession always closes.
  }
}
