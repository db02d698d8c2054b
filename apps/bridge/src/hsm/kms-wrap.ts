import { createHash, createPublicKey } from "node:crypto";
import pkcs11js from "pkcs11js";
import { BridgeError, DEPRECATED_WRAPPING_ALGORITHMS, type KmsWrapResult, type KmsWrappingAlgorithm, type WrappingAlgorithm } from "@keyward/shared";
import { isPkcs11Error } from "../pkcs11/errors.js";
import type { Session } from "../pkcs11/token.js";
import { oaepMechanism, type OaepHash } from "./oaep.js";
import type { KeyDirectory } from "./directory.js";
import { checkRsaPublicKey, type KekPublicKey } from "./kek.js";
import { destroyQuietly, importRsaPublicKey, requireWrappable, twoStepWrap } from "./wrap.js";

export interface KmsWrapRequest {
  target: string;
  /** Base64 DER SubjectPublicKeyInfo, as GetParametersForImport returns it. */
  wrappingPublicKey: string;
  algorithm: KmsWrappingAlgorithm;
}

export interface KmsWrapContext {
  kwp: number | null;
  directory: KeyDirectory;
  /** What the capability probe found this token can do; anything else is refused before the HSM is asked. */
  available: readonly KmsWrappingAlgorithm[];
}

/** How each algorithm is done in the token: one RSA wrap of the key itself, or the two-step form. */
export const KMS_WRAP_MECHANISMS: Record<KmsWrappingAlgorithm, { kind: "direct"; mechanism: () => pkcs11js.Mechanism } | { kind: "two-step"; hash: OaepHash }> = {
  RSAES_OAEP_SHA_1: { kind: "direct", mechanism: () => oaepMechanism("SHA-1") },
  RSAES_OAEP_SHA_256: { kind: "direct", mechanism: () => oaepMechanism("SHA-256") },
  RSAES_PKCS1_V1_5: { kind: "direct", mechanism: () => ({ mechanism: pkcs11js.CKM_RSA_PKCS }) },
  RSA_AES_KEY_WRAP_SHA_1: { kind: "two-step", hash: "SHA-1" },
  RSA_AES_KEY_WRAP_SHA_256: { kind: "two-step", hash: "SHA-256" },
};

// CKR_ARGUMENTS_BAD, CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID: what tokens answer to a
// hash or mechanism they lack (SoftHSM 2.6.1 gives the first for RSA-OAEP with SHA-256).
const UNSUPPORTED_CKR = new Map([
  [0x07, "CKR_ARGUMENTS_BAD"],
  [0x70, "CKR_MECHANISM_INVALID"],
  [0x71, "CKR_MECHANISM_PARAM_INVALID"],
]);

const PKCS1_WARNING =
  "RSAES_PKCS1_V1_5 was used at the custodian's explicit request: NIST SP 800-131A disallows PKCS#1 v1.5 for key transport after 2023-12-31; prefer RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1";

function parseWrappingKey(base64: string): { key: KekPublicKey; sha256: string } {
  const der = Buffer.from(base64, "base64");
  let key;
  try {
    key = createPublicKey({ key: der, format: "der", type: "spki" });
  } catch {
    throw new BridgeError("INVALID_KEK", "the wrapping public key is not a readable DER SubjectPublicKeyInfo");
  }
  return { key: checkRsaPublicKey(key, "the wrapping public key"), sha256: createHash("sha256").update(der).digest("hex") };
}

export function unsupportedAlgorithm(algorithm: KmsWrappingAlgorithm, available: readonly KmsWrappingAlgorithm[], reason: string): BridgeError {
  const can = available.length ? `it can do ${available.join(", ")}` : "it can do none of the KMS wrapping algorithms";
  return new BridgeError("MECHANISM_UNSUPPORTED", `this token cannot wrap with ${algorithm} (${reason}); ${can} — ask the target for import parameters with one of those`);
}

/**
 * Wrap the material of the token key labelled `target` for a KMS import, inside the token. AES keys
 * go straight under the wrapping key (C_WrapKey with RSA-OAEP or PKCS#1 v1.5); the RSA_AES_KEY_WRAP
 * forms take any key through an ephemeral AES key (see twoStepWrap). Plaintext never leaves the HSM.
 */
export function wrapForKms(s: Session, request: KmsWrapRequest, ctx: KmsWrapContext): Promise<KmsWrapResult> {
  const { algorithm } = request;
  const wrapping = parseWrappingKey(request.wrappingPublicKey);
  if (!ctx.available.includes(algorithm)) throw unsupportedAlgorithm(algorithm, ctx.available, "the capability probe found it missing");
  return ctx.directory.use(s, request.target, async ({ handle: target, info }) => {
    requireWrappable(info, request.target);
    const how = KMS_WRAP_MECHANISMS[algorithm];
    if (how.kind === "direct" && info.spec.kty !== "oct") {
      throw new BridgeError("UNSUPPORTED_KEY", `${algorithm} wraps symmetric material only; key "${request.target}" is ${info.spec.kty} — use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256`);
    }
    const publicKey = importRsaPublicKey(s, wrapping.key);
    let wrapped: Buffer;
    try {
      if (how.kind === "direct") {
        wrapped = s.p11.C_WrapKey(s.handle, how.mechanism(), publicKey, target, Buffer.alloc(wrapping.key.size / 8));
      } else {
        if (ctx.kwp === null) throw unsupportedAlgorithm(algorithm, ctx.available, "no AES key wrap with padding");
        wrapped = twoStepWrap(s, target, publicKey, wrapping.key.size, how.hash, ctx.kwp);
      }
    } catch (err) {
      const ckr = isPkcs11Error(err) ? UNSUPPORTED_CKR.get(err.code) : undefined;
      if (ckr) throw unsupportedAlgorithm(algorithm, ctx.available, `the HSM answered ${ckr}`);
      throw err;
    } finally {
      destroyQuietly(s, publicKey);
    }
    const deprecated = (DEPRECATED_WRAPPING_ALGORITHMS as readonly string[]).includes(algorithm as WrappingAlgorithm);
    return {
      encryptedKeyMaterial: wrapped.toString("base64"),
      algorithm,
      target: info,
      ...(info.spec.kty === "oct" && info.kcv ? { kcv: info.kcv } : {}),
      wrappingKey: { size: wrapping.key.size, sha256: wrapping.sha256 },
      warnings: deprecated ? [PKCS1_WARNING] : [],
    };
  });
}
