import { randomBytes } from "node:crypto";
import pkcs11js from "pkcs11js";
import { BridgeError, type CustodianKeyResult, type RsaSize } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { certificateFields, describeCertificate, selfSignedCertificate } from "./certificate.js";
import { destroyAll, findOneByLabel, generateDecryptionKeyPair, labelInUse, rsaPublicPart } from "./decryption-key.js";
import { withLabelLock } from "./label-lock.js";
import type { TokenRsaKey } from "./oaep-decrypt.js";

/**
 * A custodian key: an RSA key pair in the custodian's own token and a self-signed certificate for it,
 * stored beside it (same label, same CKA_ID). The certificate is what the target encrypts the
 * custodian's share to; the private key only ever decrypts that share, in the token.
 */

export interface CustodianKeySpec {
  label: string;
  commonName: string;
  size: RsaSize;
  validityDays: number;
}

export function createCustodianKey(s: Session, spec: CustodianKeySpec, now: Date): Promise<CustodianKeyResult> {
  return withLabelLock(s, spec.label, async () => {
    if (labelInUse(s, spec.label)) throw new BridgeError("LABEL_EXISTS", `an object labelled "${spec.label}" already exists on this token`);
    const id = randomBytes(16);
    const pair = await generateDecryptionKeyPair(s, { label: spec.label, id, size: spec.size, sign: true });
    let certificate: Buffer | undefined;
    try {
      const der = await selfSignedCertificate({
        commonName: spec.commonName,
        publicJwk: rsaPublicPart(s, pair.privateKey).publicJwk,
        notBefore: now,
        validityDays: spec.validityDays,
        sign: async (tbs) => {
          s.p11.C_SignInit(s.handle, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, pair.privateKey);
          return s.p11.C_SignAsync(s.handle, tbs, Buffer.alloc(spec.size / 8));
        },
      });
      dropSigning(s, pair.privateKey);
      certificate = storeCertificate(s, spec.label, id, der);
      return describeCertificate(spec.label, der);
    } catch (err) {
      // Nothing half-made stays behind: the label is free again for a retry.
      destroyAll(s, [certificate, pair.privateKey, pair.publicKey]);
      throw err;
    }
  });
}

/**
 * The key signed its own certificate and has nothing else to sign: take CKA_SIGN away so it can only
 * decrypt. A token that keeps the attribute read-only keeps it; the bridge never asks it to sign again.
 */
function dropSigning(s: Session, privateKey: Buffer): void {
  try {
    s.p11.C_SetAttributeValue(s.handle, privateKey, [{ type: pkcs11js.CKA_SIGN, value: false }]);
  } catch {
    // CKR_ATTRIBUTE_READ_ONLY on some tokens: harmless, see above.
  }
}

function storeCertificate(s: Session, label: string, id: Buffer, der: Buffer): Buffer {
  const fields = certificateFields(der);
  return s.p11.C_CreateObject(s.handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_SUBJECT, value: fields.subject },
    { type: pkcs11js.CKA_ISSUER, value: fields.issuer },
    { type: pkcs11js.CKA_SERIAL_NUMBER, value: fields.serialNumber },
    { type: pkcs11js.CKA_VALUE, value: der },
  ]);
}

/** A custodian key of this token: its private key (by label) and the certificate stored with it. */
export interface CustodianKey extends TokenRsaKey {
  certificate: CustodianKeyResult;
}

export function findCustodianKey(s: Session, label: string): CustodianKey {
  const privateKey = findOneByLabel(s, pkcs11js.CKO_PRIVATE_KEY, label);
  const certObject = findOneByLabel(s, pkcs11js.CKO_CERTIFICATE, label);
  if (!privateKey) throw new BridgeError("UNKNOWN_TARGET", `no custodian key labelled "${label}" on this token`);
  if (!certObject) throw new BridgeError("UNKNOWN_TARGET", `the key labelled "${label}" on this token is not a custodian key (it has no certificate)`);
  const certificate = s.p11.C_GetAttributeValue(s.handle, certObject, [{ type: pkcs11js.CKA_VALUE }])[0]?.value ?? Buffer.alloc(0);
  const key = rsaPublicPart(s, privateKey);
  let described: CustodianKeyResult;
  try {
    described = describeCertificate(label, certificate);
  } catch {
    throw new BridgeError("INVALID_COMMAND", `the certificate labelled "${label}" on this token is not an RSA certificate Keyward can read`);
  }
  if (described.publicJwk.n !== key.publicJwk.n || described.publicJwk.e !== key.publicJwk.e) {
    throw new BridgeError("INVALID_COMMAND", `the certificate labelled "${label}" on this token is not for the key labelled "${label}"`);
  }
  return { handle: privateKey, modulus: key.modulus, certificate: described };
}
