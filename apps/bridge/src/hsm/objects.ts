import pkcs11js from "pkcs11js";
import { AES_SIZES, BridgeError, RSA_SIZES, type AesSize, type KeySpec, type PublicJwk, type RsaSize, type TokenKey } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { curveFromParams, decodeEcPoint } from "./ec.js";

const b64u = (b: Buffer) => b.toString("base64url");

export function findObjects(s: Session, template: pkcs11js.Template): Buffer[] {
  s.p11.C_FindObjectsInit(s.handle, template);
  try {
    const found: Buffer[] = [];
    for (;;) {
      const batch = s.p11.C_FindObjects(s.handle, 64);
      if (batch.length === 0) return found;
      found.push(...batch);
    }
  } finally {
    s.p11.C_FindObjectsFinal(s.handle);
  }
}

/** The private or secret keys carrying `label`: what a custodian means by "the key". */
export function findKeysByLabel(s: Session, label: string): Buffer[] {
  return [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_SECRET_KEY].flatMap((cls) =>
    findObjects(s, [
      { type: pkcs11js.CKA_CLASS, value: cls },
      { type: pkcs11js.CKA_LABEL, value: label },
    ]),
  );
}

export function findTarget(s: Session, label: string): Buffer {
  const [first, ...rest] = findKeysByLabel(s, label);
  if (!first) throw new BridgeError("UNKNOWN_TARGET", `no private or secret key labelled "${label}" on this token`);
  if (rest.length) throw new BridgeError("INVALID_COMMAND", `${rest.length + 1} keys are labelled "${label}" on this token; labels must be unique`);
  return first;
}

function attrs(s: Session, handle: Buffer, types: number[]): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const a of s.p11.C_GetAttributeValue(s.handle, handle, types.map((type) => ({ type })))) out.set(a.type, a.value);
  return out;
}

/** Attributes a key may not expose (CKR_ATTRIBUTE_TYPE_INVALID / _SENSITIVE): read one at a time. */
function optionalAttr(s: Session, handle: Buffer, type: number): Buffer | undefined {
  try {
    return s.p11.C_GetAttributeValue(s.handle, handle, [{ type }])[0]?.value;
  } catch {
    return undefined;
  }
}

const bool = (b: Buffer | undefined) => b !== undefined && b.length > 0 && b[0] !== 0;
/** A CK_ULONG attribute value (4 or 8 bytes, host order). */
export const ulong = (b: Buffer | undefined) => (b && b.length ? Number(b.length >= 8 ? b.readBigUInt64LE(0) : b.readUInt32LE(0)) : 0);

/** An EC key's public point lives on its public key object, found by CKA_ID. */
export type PublicKeyFinder = (id: Buffer) => Buffer | undefined;

const searchPublicKey =
  (s: Session): PublicKeyFinder =>
  (id) =>
    findObjects(s, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      { type: pkcs11js.CKA_ID, value: id },
    ])[0];

/** Read what Keyward needs to know about a key object: spec, flags, public part, KCV. */
export function describeKey(s: Session, handle: Buffer, publicKeyOf: PublicKeyFinder = searchPublicKey(s)): TokenKey {
  const a = attrs(s, handle, [pkcs11js.CKA_CLASS, pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_LABEL, pkcs11js.CKA_ID, pkcs11js.CKA_EXTRACTABLE, pkcs11js.CKA_SENSITIVE]);
  const keyType = ulong(a.get(pkcs11js.CKA_KEY_TYPE));
  const id = a.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0);
  const base = {
    label: (a.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString("utf8"),
    id: id.toString("hex"),
    extractable: bool(a.get(pkcs11js.CKA_EXTRACTABLE)),
    sensitive: bool(a.get(pkcs11js.CKA_SENSITIVE)),
  };
  if (keyType === pkcs11js.CKK_AES) {
    const bits = ulong(optionalAttr(s, handle, pkcs11js.CKA_VALUE_LEN)) * 8;
    const spec: KeySpec | null = (AES_SIZES as readonly number[]).includes(bits) ? { kty: "oct", size: bits as AesSize } : null;
    const kcv = optionalAttr(s, handle, pkcs11js.CKA_CHECK_VALUE);
    return { ...base, spec, ...(kcv?.length ? { kcv: kcv.toString("hex") } : {}) };
  }
  if (keyType === pkcs11js.CKK_RSA) {
    const n = optionalAttr(s, handle, pkcs11js.CKA_MODULUS);
    const e = optionalAttr(s, handle, pkcs11js.CKA_PUBLIC_EXPONENT);
    const bits = n ? n.length * 8 : 0;
    const spec: KeySpec | null = (RSA_SIZES as readonly number[]).includes(bits) ? { kty: "RSA", size: bits as RsaSize } : null;
    const publicJwk: PublicJwk | undefined = n && e ? { kty: "RSA", n: b64u(stripZeros(n)), e: b64u(stripZeros(e)) } : undefined;
    return { ...base, spec, ...(publicJwk ? { publicJwk } : {}) };
  }
  if (keyType === pkcs11js.CKK_EC) {
    const params = optionalAttr(s, handle, pkcs11js.CKA_EC_PARAMS);
    const crv = params ? curveFromParams(params) : null;
    if (!crv) return { ...base, spec: null };
    const pub = publicKeyOf(id);
    const point = pub ? optionalAttr(s, pub, pkcs11js.CKA_EC_POINT) : undefined;
    const xy = point ? decodeEcPoint(point, crv) : undefined;
    return { ...base, spec: { kty: "EC", crv }, ...(xy ? { publicJwk: { kty: "EC", crv, x: b64u(xy.x), y: b64u(xy.y) } } : {}) };
  }
  return { ...base, spec: null };
}

/** An unsigned big-endian integer without its leading zero bytes (tokens differ in padding them). */
export function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

export function listKeys(s: Session): TokenKey[] {
  const handles = [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_SECRET_KEY].flatMap((cls) => findObjects(s, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_TOKEN, value: true }]));
  return handles.map((h) => describeKey(s, h)).sort((x, y) => x.label.localeCompare(y.label));
}
