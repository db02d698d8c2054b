import { createHash, createPublicKey, randomBytes } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  id_ce_keyUsage,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import { RSA_SIZES, type CustodianKeyResult, type RsaPublicJwk, type RsaSize } from "@keyward/shared";

/**
 * The self-signed X.509 v3 certificate of a custodian key: what an administrator hands to the target
 * at security-domain download, as Managed HSM takes `openssl req -x509` certificates. Only the public
 * key and the thumbprint matter to the domain; the rest says whose it is.
 */

export const CUSTODIAN_ORGANIZATION = "Keyward custodian";
const ID_AT_COMMON_NAME = "2.5.4.3";
const ID_AT_ORGANIZATION = "2.5.4.10";
const SHA256_WITH_RSA_ENCRYPTION = "1.2.840.113549.1.1.11";
const DAY_MS = 86_400_000;

const toArrayBuffer = (b: Uint8Array): ArrayBuffer => new Uint8Array(b).buffer;

function custodianName(commonName: string): Name {
  const rdn = (type: string, value: string) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })]);
  return new Name([rdn(ID_AT_COMMON_NAME, commonName), rdn(ID_AT_ORGANIZATION, CUSTODIAN_ORGANIZATION)]);
}

/** A positive DER INTEGER of 16 random bytes (RFC 5280: at most 20 octets, non-negative). */
function randomSerial(): ArrayBuffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  return toArrayBuffer(serial);
}

/**
 * Builds and signs (sha256WithRSAEncryption) the certificate. `sign` signs the TBSCertificate DER
 * with the private key — in the token, with CKM_SHA256_RSA_PKCS — so only the signature comes out.
 */
export async function selfSignedCertificate(input: {
  commonName: string;
  publicJwk: RsaPublicJwk;
  notBefore: Date;
  validityDays: number;
  sign: (tbs: Buffer) => Promise<Buffer>;
}): Promise<Buffer> {
  const notBefore = new Date(Math.floor(input.notBefore.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + input.validityDays * DAY_MS);
  const spki = createPublicKey({ key: { kty: "RSA", n: input.publicJwk.n, e: input.publicJwk.e }, format: "jwk" }).export({ type: "spki", format: "der" });
  const name = custodianName(input.commonName);
  const signature = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA_ENCRYPTION, parameters: toArrayBuffer(new Uint8Array([0x05, 0x00])) });
  const keyUsage = new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: randomSerial(),
    signature,
    issuer: name,
    validity: new Validity({ notBefore, notAfter }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions([new Extension({ extnID: id_ce_keyUsage, critical: true, extnValue: new OctetString(AsnConvert.serialize(keyUsage)) })]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signatureValue = await input.sign(tbsDer);
  return Buffer.from(AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: signature, signatureValue: toArrayBuffer(signatureValue) })));
}

/** What the bridge answers about a custodian certificate (DER), as the command result schema says. */
export function describeCertificate(label: string, der: Buffer): CustodianKeyResult {
  const cert = AsnConvert.parse(der, Certificate);
  const { validity, subjectPublicKeyInfo } = cert.tbsCertificate;
  const jwk = createPublicKey({ key: Buffer.from(AsnConvert.serialize(subjectPublicKeyInfo)), format: "der", type: "spki" }).export({ format: "jwk" });
  if (jwk.kty !== "RSA" || !jwk.n || !jwk.e) throw new Error("the custodian certificate does not hold an RSA key");
  const size = Buffer.from(jwk.n, "base64url").length * 8;
  if (!(RSA_SIZES as readonly number[]).includes(size)) throw new Error(`the custodian certificate holds an RSA-${size} key`);
  return {
    label,
    certificate: der.toString("base64"),
    thumbprintSha256: createHash("sha256").update(der).digest("base64url"),
    publicJwk: { kty: "RSA", n: jwk.n, e: jwk.e },
    size: size as RsaSize,
    notBefore: validity.notBefore.getTime().toISOString(),
    notAfter: validity.notAfter.getTime().toISOString(),
  };
}

/** PEM text of a DER certificate, for files an administrator uploads. */
export function certificatePem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The DER fields PKCS#11 certificate objects repeat as attributes (CKA_SUBJECT, CKA_ISSUER, CKA_SERIAL_NUMBER). */
export function certificateFields(der: Buffer): { subject: Buffer; issuer: Buffer; serialNumber: Buffer } {
  const { tbsCertificate: tbs } = AsnConvert.parse(der, Certificate);
  const serial = Buffer.from(tbs.serialNumber);
  return {
    subject: Buffer.from(AsnConvert.serialize(tbs.subject)),
    issuer: Buffer.from(AsnConvert.serialize(tbs.issuer)),
    // A DER INTEGER: tag, short-form length (serials are at most 20 octets), contents.
    serialNumber: Buffer.concat([Buffer.from([0x02, serial.length]), serial]),
  };
}
