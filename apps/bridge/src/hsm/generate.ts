import { randomBytes } from "node:crypto";
import pkcs11js from "pkcs11js";
import { BridgeError, type KeySpec, type TokenKey } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { ecParams } from "./ec.js";
import { withLabelLock } from "./label-lock.js";
import { describeKey, findKeysByLabel } from "./objects.js";

/**
 * Generate a BYOK target in the token: persistent, sensitive (never readable in clear) and extractable
 * (so that it can leave the token, wrapped, and only wrapped).
 */
export function generateKey(s: Session, label: string, spec: KeySpec): Promise<TokenKey> {
  return withLabelLock(s, label, () => generateUnder(s, label, spec));
}

async function generateUnder(s: Session, label: string, spec: KeySpec): Promise<TokenKey> {
  if (findKeysByLabel(s, label).length) {
    throw new BridgeError("LABEL_EXISTS", `a key labelled "${label}" already exists on this token`);
  }
  const id = randomBytes(16);
  const common: pkcs11js.Template = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
  ];
  const secret: pkcs11js.Template = [
    ...common,
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: true },
  ];
  let handle: Buffer | undefined;
  switch (spec.kty) {
    case "oct":
      handle = await s.p11.C_GenerateKeyAsync(s.handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        ...secret,
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: spec.size / 8 },
        { type: pkcs11js.CKA_ENCRYPT, value: true },
        { type: pkcs11js.CKA_DECRYPT, value: true },
      ]);
      break;
    case "RSA":
      handle = (
        await s.p11.C_GenerateKeyPairAsync(
          s.handle,
          { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
          [...common, { type: pkcs11js.CKA_MODULUS_BITS, value: spec.size }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_ENCRYPT, value: true }],
          [...secret, { type: pkcs11js.CKA_SIGN, value: true }, { type: pkcs11js.CKA_DECRYPT, value: true }],
        )
      ).privateKey;
      break;
    case "EC":
      handle = (
        await s.p11.C_GenerateKeyPairAsync(
          s.handle,
          { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          [...common, { type: pkcs11js.CKA_EC_PARAMS, value: ecParams(spec.crv) }, { type: pkcs11js.CKA_VERIFY, value: true }],
          [...secret, { type: pkcs11js.CKA_SIGN, value: true }],
        )
      ).privateKey;
      break;
  }
  if (!handle) throw new Error("unreachable: unknown key family");
  return describeKey(s, handle);
}
