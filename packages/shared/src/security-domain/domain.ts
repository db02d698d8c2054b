import { SecurityDomainError } from "./errors.js";
import { securityDomainDataKey, SECURITY_DOMAIN_KDF } from "./kdf.js";
import { encryptDirJwe, encryptToRsaJwe, type RsaPublicJwk } from "./jwe.js";
import { parseSecurityDomainFile, SHARE_KEY_ALGORITHM, type SecurityDomainFile } from "./file.js";
import { rehearsalKey } from "./rehearsal.js";
import { shareNumber, splitSecret, type FillRandom } from "./shamir.js";

/**
 * Making a security-domain file (the download): the secret to protect goes, encrypted, into one
 * EncData item under a fresh master key; the master key is split m-of-n and each share is encrypted to
 * one custodian certificate. A new download with other certificates makes a new master key and new
 * shares around the same secret: the domain does not change, only who can open it.
 */

/** The EncData tag under which the domain secret travels (the KDF label of its key). */
export const DOMAIN_SECRET_TAG = "keyward_domain_key";
/** As the Azure CLI makes them (`restore-blob`): 32 random bytes. */
export const MASTER_KEY_BYTES = 32;

export interface ShareRecipient {
  publicJwk: RsaPublicJwk;
  /** base64url SHA-256 of the certificate DER: the file's `x5t_256`. */
  thumbprintSha256: string;
}

export interface NewSecurityDomain {
  file: SecurityDomainFile;
  /** Per recipient, in order: its share number and the key that checks its rehearsal proofs. */
  shares: { thumbprintSha256: string; shareNumber: number; rehearsalKey: Uint8Array }[];
}

export async function createSecurityDomain(input: {
  secret: Uint8Array;
  recipients: readonly ShareRecipient[];
  required: number;
  random?: FillRandom;
}): Promise<NewSecurityDomain> {
  const random = input.random ?? ((bytes: Uint8Array) => globalThis.crypto.getRandomValues(bytes));
  const master = random(new Uint8Array(MASTER_KEY_BYTES));
  try {
    const dataKey = await securityDomainDataKey(master, DOMAIN_SECRET_TAG);
    const compact_jwe = await encryptDirJwe(dataKey, input.secret, DOMAIN_SECRET_TAG);
    dataKey.fill(0);
    const split = splitSecret(master, { shares: input.recipients.length, required: input.required, random });
    const enc_shares = [];
    const shares = [];
    for (const [i, recipient] of input.recipients.entries()) {
      const share = split[i] as Uint8Array;
      enc_shares.push({ enc_key: await encryptToRsaJwe(recipient.publicJwk, share), x5t_256: recipient.thumbprintSha256 });
      shares.push({ thumbprintSha256: recipient.thumbprintSha256, shareNumber: shareNumber(share), rehearsalKey: await rehearsalKey(share) });
      share.fill(0);
    }
    const file: SecurityDomainFile = {
      EncData: { data: [{ compact_jwe, tag: DOMAIN_SECRET_TAG }], kdf: SECURITY_DOMAIN_KDF },
      SharedKeys: { enc_shares, key_algorithm: SHARE_KEY_ALGORITHM, required: input.required },
      version: 2,
    };
    return { file: parseSecurityDomainFile(JSON.stringify(file)), shares };
  } finally {
    master.fill(0);
  }
}

/** The encrypted share of one certificate in a file, or a refusal naming it. */
export function shareFor(file: SecurityDomainFile, thumbprintSha256: string): string {
  const found = file.SharedKeys.enc_shares.find((s) => s.x5t_256 === thumbprintSha256);
  if (!found) throw new SecurityDomainError("SD_WRONG_DOMAIN", `this security domain holds no share for the certificate ${thumbprintSha256}`);
  return found.enc_key;
}
