import { generateKeyPairSync } from "node:crypto";
import pkcs11js from "pkcs11js";
import { KMS_WRAPPING_ALGORITHMS, type KmsWrappingAlgorithm } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { checkRsaPublicKey } from "./kek.js";
import { KMS_WRAP_MECHANISMS } from "./kms-wrap.js";
import { destroyQuietly, importRsaPublicKey, twoStepWrap } from "./wrap.js";

/**
 * Which KMS wrapping algorithms the token really does, found the only reliable way: by wrapping a
 * throwaway session AES key under a throwaway RSA key with each. Tokens list CKM_RSA_PKCS_OAEP and
 * then refuse some hashes (SoftHSM 2.6.1: SHA-1 only), so the mechanism list alone would mislead.
 */
export function probeKmsWrapping(s: Session, kwp: number | null): KmsWrappingAlgorithm[] {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const wrapping = checkRsaPublicKey(publicKey, "the probe key");
  let rsa: Buffer | undefined;
  let aes: Buffer | undefined;
  try {
    rsa = importRsaPublicKey(s, wrapping);
    aes = s.p11.C_GenerateKey(s.handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
    ]);
    const [wrapper, target] = [rsa, aes];
    return KMS_WRAPPING_ALGORITHMS.filter((algorithm) => {
      const how = KMS_WRAP_MECHANISMS[algorithm];
      try {
        if (how.kind === "direct") s.p11.C_WrapKey(s.handle, how.mechanism(), wrapper, target, Buffer.alloc(256));
        else if (kwp === null) return false;
        else twoStepWrap(s, target, wrapper, wrapping.size, how.hash, kwp);
        return true;
      } catch {
        return false;
      }
    });
  } catch {
    // No AES key generation or no RSA public key objects: nothing can be wrapped for a KMS.
    return [];
  } finally {
    if (aes) destroyQuietly(s, aes);
    if (rsa) destroyQuietly(s, rsa);
  }
}
