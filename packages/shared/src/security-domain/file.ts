import { base64url } from "jose";
import { z } from "zod";
import { SecurityDomainError } from "./errors.js";
import { SECURITY_DOMAIN_KDF } from "./kdf.js";
import { MAX_SHARES, MIN_REQUIRED_SHARES } from "./shamir.js";

/**
 * The downloaded security-domain file in Azure Managed HSM's format (REST spec 2025-06-01 download
 * example, version 2; Azure CLI `custom.py::_security_domain_restore_blob`, `security_domain/jwe.py`):
 *
 *   { "EncData":   { "data": [{ "compact_jwe": <dir / A256CBC-HS512 JWE>, "tag": <KDF label> }], "kdf": "sp108_kdf" },
 *     "SharedKeys": { "enc_shares": [{ "enc_key": <RSA-OAEP-256 / A256CBC-HS512 JWE>, "x5t_256": <b64url SHA-256(cert DER)> }],
 *                     "key_algorithm": "shamir_share", "required": m },
 *     "version": 2 }
 *
 * Parsing checks the structure and each JWE's shape (header alg/enc, part sizes), not its content.
 */

export const SECURITY_DOMAIN_FILE_VERSION = 2;
export const SHARE_KEY_ALGORITHM = "shamir_share";
export const DATA_JWE_ALG = "dir";
export const SHARE_JWE_ALG = "RSA-OAEP-256";
export const SECURITY_DOMAIN_JWE_ENC = "A256CBC-HS512";
/** The service and the CLI accept 3 to 10 wrapping certificates. */
export const MIN_SHARE_CERTIFICATES = 3;
/** The real files seen are tens of KiB; a stray upload stops here. */
export const MAX_SECURITY_DOMAIN_FILE_LENGTH = 1024 * 1024;

const AES_BLOCK = 16;
/** A256CBC-HS512: the tag is the first 32 bytes of the HMAC-SHA-512. */
const TAG_BYTES = 32;
/** RSA-OAEP output is the modulus length; 2048 bits is the least Managed HSM accepts. */
const MIN_RSA_CIPHERTEXT_BYTES = 256;

/** "is missing" for an absent field, otherwise "expected …". */
const expecting = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is missing" : `expected ${what}`);

const URL_ALPHABET = /^[A-Za-z0-9_-]*$/;
/** 32 bytes in unpadded base64url: 43 characters, the last carrying 2 zero bits (`x5t#S256`, `x5t_256`). */
export const SHA256_THUMBPRINT_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
/** A custodian or exchange certificate, named by its `x5t#S256`. */
export const ThumbprintSha256Schema = z.string().regex(SHA256_THUMBPRINT_PATTERN, { error: "expected a certificate's SHA-256 thumbprint: 43 base64url characters (x5t#S256)" });

/** Strict unpadded base64url (canonical trailing bits), or undefined. */
function decodePart(text: string): Uint8Array | undefined {
  if (!URL_ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = base64url.decode(text);
  return base64url.encode(bytes) === text ? bytes : undefined;
}

/** What one kind of JWE must look like. */
interface JweShape {
  alg: string;
  /** Whether the encrypted-key part is empty (`dir`) or an RSA ciphertext. */
  wrapped: boolean;
}

/** Checks a compact JWE's five parts; returns a problem in words, or undefined. */
function jweProblem(text: string, shape: JweShape): string | undefined {
  const parts = text.split(".");
  if (parts.length !== 5) return `expected a compact JWE (5 dot-separated parts); got ${parts.length} parts`;
  const [h = "", k = "", i = "", c = "", t = ""] = parts;
  const notBase64 = (name: string) => `the JWE ${name} is not base64url`;
  const header = decodePart(h);
  if (!header) return notBase64("protected header");
  const encryptedKey = decodePart(k);
  if (!encryptedKey) return notBase64("encrypted key");
  const iv = decodePart(i);
  if (!iv) return notBase64("initialization vector");
  const ciphertext = decodePart(c);
  if (!ciphertext) return notBase64("ciphertext");
  const tag = decodePart(t);
  if (!tag) return notBase64("authentication tag");
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(header));
  } catch {
    return "the JWE protected header is not JSON";
  }
  const parsed = z.object({ alg: z.string(), enc: z.string() }).safeParse(fields);
  if (!parsed.success) return "the JWE protected header has no alg or enc";
  if (parsed.data.alg !== shape.alg) return `the JWE alg is ${JSON.stringify(parsed.data.alg)}; expected "${shape.alg}"`;
  if (parsed.data.enc !== SECURITY_DOMAIN_JWE_ENC) {
    return `the JWE enc is ${JSON.stringify(parsed.data.enc)}; expected "${SECURITY_DOMAIN_JWE_ENC}"`;
  }
  if (shape.wrapped && encryptedKey.length < MIN_RSA_CIPHERTEXT_BYTES) {
    return `the JWE encrypted key is ${encryptedKey.length} bytes; an RSA-2048 or larger key gives at least ${MIN_RSA_CIPHERTEXT_BYTES}`;
  }
  if (!shape.wrapped && encryptedKey.length !== 0) return `the JWE encrypted key must be empty for "${DATA_JWE_ALG}"`;
  if (iv.length !== AES_BLOCK) return `the JWE initialization vector is ${iv.length} bytes; expected ${AES_BLOCK}`;
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    return `the JWE ciphertext is ${ciphertext.length} bytes; expected a non-zero multiple of ${AES_BLOCK}`;
  }
  if (tag.length !== TAG_BYTES) return `the JWE authentication tag is ${tag.length} bytes; expected ${TAG_BYTES}`;
  return undefined;
}

const compactJwe = (shape: JweShape) =>
  z.string({ error: expecting("a compact JWE string") }).superRefine((text, ctx) => {
    const problem = jweProblem(text, shape);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const EncDataItemSchema = z.object(
  {
    compact_jwe: compactJwe({ alg: DATA_JWE_ALG, wrapped: false }),
    tag: z.string({ error: expecting("a string") }).min(1, { error: "expected a non-empty tag" }),
  },
  { error: expecting("an object") },
);

const EncShareSchema = z.object(
  {
    enc_key: compactJwe({ alg: SHARE_JWE_ALG, wrapped: true }),
    x5t_256: z.string({ error: expecting("a string") }).regex(SHA256_THUMBPRINT_PATTERN, {
      error: "expected the base64url SHA-256 thumbprint of a certificate (43 characters)",
    }),
  },
  { error: expecting("an object") },
);

export const SecurityDomainFileSchema = z
  .object(
    {
      EncData: z.object(
        {
          data: z.array(EncDataItemSchema, { error: expecting("an array") }).min(1, { error: "expected at least one item" }),
          kdf: z.literal(SECURITY_DOMAIN_KDF, { error: expecting(`"${SECURITY_DOMAIN_KDF}"`) }),
        },
        { error: expecting("an object") },
      ),
      SharedKeys: z.object(
        {
          enc_shares: z
            .array(EncShareSchema, { error: expecting("an array") })
            .min(MIN_SHARE_CERTIFICATES, { error: `expected ${MIN_SHARE_CERTIFICATES} to ${MAX_SHARES} shares` })
            .max(MAX_SHARES, { error: `expected ${MIN_SHARE_CERTIFICATES} to ${MAX_SHARES} shares` }),
          key_algorithm: z.literal(SHARE_KEY_ALGORITHM, { error: expecting(`"${SHARE_KEY_ALGORITHM}"`) }),
          required: z
            .number({ error: expecting("a whole number") })
            .int({ error: "expected a whole number" })
            .min(MIN_REQUIRED_SHARES, { error: `expected ${MIN_REQUIRED_SHARES} to ${MAX_SHARES}` })
            .max(MAX_SHARES, { error: `expected ${MIN_REQUIRED_SHARES} to ${MAX_SHARES}` }),
        },
        { error: expecting("an object") },
      ),
      // Absent from files of older tools; any other version is refused.
      version: z.literal(SECURITY_DOMAIN_FILE_VERSION, { error: `expected ${SECURITY_DOMAIN_FILE_VERSION}` }).optional(),
    },
    { error: expecting("an object") },
  )
  .superRefine((file, ctx) => {
    const { enc_shares: shares, required } = file.SharedKeys;
    if (required > shares.length) {
      ctx.addIssue({ code: "custom", path: ["SharedKeys", "required"], message: `is ${required} but the file holds only ${shares.length} shares` });
    }
    shares.forEach((share, i) => {
      const first = shares.findIndex((other) => other.x5t_256 === share.x5t_256);
      if (first !== i) {
        ctx.addIssue({ code: "custom", path: ["SharedKeys", "enc_shares", i, "x5t_256"], message: `repeats the certificate of enc_shares[${first}]` });
      }
    });
    file.EncData.data.forEach((item, i) => {
      const first = file.EncData.data.findIndex((other) => other.tag === item.tag);
      if (first !== i) ctx.addIssue({ code: "custom", path: ["EncData", "data", i, "tag"], message: `repeats the tag of data[${first}]` });
    });
  });

export type SecurityDomainFile = z.infer<typeof SecurityDomainFileSchema>;

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}

/** Parses a downloaded security-domain file; refusals name the first problem and its place. */
export function parseSecurityDomainFile(text: string): SecurityDomainFile {
  const fail = (message: string) => new SecurityDomainError("SD_FILE_MALFORMED", message);
  if (text.length > MAX_SECURITY_DOMAIN_FILE_LENGTH) {
    throw fail(`the file is ${text.length} characters; a security-domain file is at most ${MAX_SECURITY_DOMAIN_FILE_LENGTH}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw fail("the file is not JSON");
  }
  const result = SecurityDomainFileSchema.safeParse(json);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const where = first ? describePath(first.path) : "";
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? "s" : ""})` : "";
  throw fail(`${where ? `${where}: ` : "the file: "}${first?.message ?? "is not a security-domain file"}${more}`);
}

/** Serializes in the service's key order, always as version 2. Throws on an invalid file (a caller bug). */
export function serializeSecurityDomainFile(file: SecurityDomainFile): string {
  const checked = SecurityDomainFileSchema.safeParse(file);
  if (!checked.success) throw new TypeError(`serializeSecurityDomainFile: ${checked.error.issues[0]?.message ?? "invalid file"}`);
  const { EncData, SharedKeys } = checked.data;
  return JSON.stringify({
    EncData: { data: EncData.data.map(({ compact_jwe, tag }) => ({ compact_jwe, tag })), kdf: EncData.kdf },
    SharedKeys: {
      enc_shares: SharedKeys.enc_shares.map(({ enc_key, x5t_256 }) => ({ enc_key, x5t_256 })),
      key_algorithm: SharedKeys.key_algorithm,
      required: SharedKeys.required,
    },
    version: SECURITY_DOMAIN_FILE_VERSION,
  });
}
