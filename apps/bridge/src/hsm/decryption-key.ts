import pkcs11js from "pkcs11js";
import { BridgeError, type RsaPublicJwk } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { findObjects, stripZeros } from "./objects.js";
import type { TokenRsaKey } from "./oaep-decrypt.js";
import { destroyQuietly } from "./wrap.js";

/**
 * The RSA key pairs of the security domain — custodian keys and recovery keys — as token objects:
 * the private half private, sensitive and never extractable, allowed to decrypt (and, for a custodian
 * key, to sign its own certificate). Unlike BYOK targets they must never leave the token, not even
 * wrapped.
 */
export async function generateDecryptionKeyPair(s: Session, opts: { label: string; id: Buffer; size: number; sign: boolean }): Promise<pkcs11js.KeyPair> {
  const common: pkcs11js.Template = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: opts.label },
    { type: pkcs11js.CKA_ID, value: opts.id },
  ];
  return s.p11.C_GenerateKeyPairAsync(
    s.handle,
    { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      ...common,
      { type: pkcs11js.CKA_MODULUS_BITS, value: opts.size },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_VERIFY, value: opts.sign },
    ],
    [
      ...common,
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_SIGN, value: opts.sign },
      { type: pkcs11js.CKA_UNWRAP, value: false },
    ],
  );
}

/** The public part of an RSA key object (modulus and exponent are never sensitive). */
export function rsaPublicPart(s: Session, handle: Buffer): TokenRsaKey & { publicJwk: RsaPublicJwk } {
  const [n, e] = s.p11.C_GetAttributeValue(s.handle, handle, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]).map((a) => a.value);
  if (!n || !e) throw new BridgeError("HSM_ERROR", "the HSM returned an RSA key without modulus or exponent");
  const modulus = stripZeros(n);
  return { handle, modulus, publicJwk: { kty: "RSA", n: modulus.toString("base64url"), e: stripZeros(e).toString("base64url") } };
}

/** The objects of one class carrying `label`; more than one is a token an operator must tidy up. */
export function findOneByLabel(s: Session, objectClass: number, label: string): Buffer | undefined {
  const [first, ...rest] = findObjects(s, [
    { type: pkcs11js.CKA_CLASS, value: objectClass },
    { type: pkcs11js.CKA_LABEL, value: label },
  ]);
  if (rest.length) throw new BridgeError("INVALID_COMMAND", `${rest.length + 1} objects of one class are labelled "${label}" on this token; labels must be unique`);
  return first;
}

/** Whether any object (key, certificate, data) carries `label`. */
export function labelInUse(s: Session, label: string): boolean {
  return findObjects(s, [{ type: pkcs11js.CKA_LABEL, value: label }]).length > 0;
}

export function readId(s: Session, handle: Buffer): Buffer {
  return s.p11.C_GetAttributeValue(s.handle, handle, [{ type: pkcs11js.CKA_ID }])[0]?.value ?? Buffer.alloc(0);
}

export function destroyAll(s: Session, handles: readonly (Buffer | undefined)[]): void {
  for (const h of handles) if (h) destroyQuietly(s, h);
}
