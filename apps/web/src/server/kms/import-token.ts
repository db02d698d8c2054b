import { constants, createHash, createPrivateKey, generateKeyPair, privateDecrypt, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { KmsError, WRAPPING_KEY_BITS, type WrappingAlgorithm, type WrappingKeySpec } from "@keyward/shared";
import { decodeEmePkcs1 } from "../crypto/lib/eme-pkcs1";

const generateRsa = promisify(generateKeyPair);

export interface IssuedToken {
  /** What the caller gets: a bearer secret, stored only as its hash. */
  token: string;
  tokenHash: Buffer;
  /** Base64 DER SubjectPublicKeyInfo, as GetParametersForImport returns it. */
  publicKey: string;
  /** PKCS#8 DER, to be sealed at once. */
  privateKey: Buffer;
}

export function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** A fresh wrapping key pair and token: every GetParametersForImport gets its own. */
export async function issueImportToken(spec: WrappingKeySpec): Promise<IssuedToken> {
  const { publicKey, privateKey } = await generateRsa("rsa", { modulusLength: WRAPPING_KEY_BITS[spec] });
  const token = randomBytes(32).toString("base64");
  return {
    token,
    tokenHash: tokenHash(token),
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    privateKey: privateKey.export({ type: "pkcs8", format: "der" }),
  };
}

const OAEP_HASH = { RSAES_OAEP_SHA_1: "sha1", RSAES_OAEP_SHA_256: "sha256" } as const;

/**
 * Unwrap EncryptedKeyMaterial with the token's private key and algorithm, to exactly `bytes` bytes.
 * Every failure — another public key, another algorithm, a padding error, a wrong length — gives one
 * and the same answer: with PKCS#1 v1.5, telling "bad padding" from "wrong length" would hand any
 * token holder a Bleichenbacher oracle.
 */
export function unwrapMaterial(privateKeyDer: Uint8Array, algorithm: WrappingAlgorithm, ciphertext: Uint8Array, bytes: number): Buffer {
  const key = createPrivateKey({ key: Buffer.from(privateKeyDer), format: "der", type: "pkcs8" });
  const modulusBytes = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  let material: Buffer | undefined;
  if (ciphertext.length === modulusBytes) {
    try {
      if (algorithm === "RSAES_PKCS1_V1_5") {
        // Node 20 refuses PKCS#1 v1.5 decryption (CVE-2023-46809): decrypt raw, check the padding here.
        const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
        const message = decodeEmePkcs1(em);
        material = message === undefined ? undefined : Buffer.from(message);
        em.fill(0);
      } else {
        material = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, ciphertext);
      }
    } catch {
      material = undefined;
    }
  }
  if (material?.length === bytes) return material;
  material?.fill(0);
  throw new KmsError(
    "InvalidKeyMaterial",
    `The key material is invalid: it does not unwrap to ${bytes * 8} bits with this import token's public key and ${algorithm}. Encrypt the material with the public key returned together with this token, using the WrappingAlgorithm the token was requested for.`,
  );
}
