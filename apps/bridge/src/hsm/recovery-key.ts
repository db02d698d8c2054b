import { createHash, randomBytes } from "node:crypto";
import pkcs11js from "pkcs11js";
import { BridgeError, buildRestoreBlob, parseSecurityDomainFile, shareNumber, type BridgeCommand, type RsaPublicJwk } from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { generateDecryptionKeyPair, readId, rsaPublicPart } from "./decryption-key.js";
import { withLabelLock } from "./label-lock.js";
import type { OaepSha256Path } from "./oaep-decrypt.js";
import { findObjects, ulong } from "./objects.js";
import { openJweInToken, requireRsaRecipient } from "./rsa-jwe.js";
import { fromSecurityDomain } from "./security-domain-errors.js";

/**
 * The recovery bridge's side of a recovery: an ephemeral RSA-3072 key pair the custodians re-encrypt
 * their shares to, the one place m plaintext shares meet (in memory, for the time of one command),
 * and the restore blob built from them for the target's exchange key. The pair is made of token
 * objects so that a restarted bridge can still finish the ceremony, and destroyed at its end.
 */

export const RECOVERY_KEY_BITS = 3072;
/** CKA_ID prefix of recovery key objects: begin, combine and end touch nothing else under a label. */
const RECOVERY_ID_PREFIX = Buffer.from("keyward-sd-recovery:");

type CombineCommand = Extract<BridgeCommand, { type: "sd.recovery.combine" }>;

interface RecoveryObjects {
  privateKey?: Buffer;
  publicKey?: Buffer;
  all: Buffer[];
}

/** The recovery key objects under `label`; null when the label belongs to something else. */
function recoveryObjects(s: Session, label: string): RecoveryObjects | null {
  const all = findObjects(s, [{ type: pkcs11js.CKA_LABEL, value: label }]);
  const found: RecoveryObjects = { all };
  for (const handle of all) {
    if (!readId(s, handle).subarray(0, RECOVERY_ID_PREFIX.length).equals(RECOVERY_ID_PREFIX)) return null;
    const objectClass = ulong(s.p11.C_GetAttributeValue(s.handle, handle, [{ type: pkcs11js.CKA_CLASS }])[0]?.value);
    if (objectClass === pkcs11js.CKO_PRIVATE_KEY) found.privateKey = handle;
    if (objectClass === pkcs11js.CKO_PUBLIC_KEY) found.publicKey = handle;
  }
  return found;
}

function requireRecoveryKey(s: Session, label: string): Buffer {
  const found = recoveryObjects(s, label);
  if (!found?.privateKey) throw new BridgeError("UNKNOWN_TARGET", `no recovery key labelled "${label}" on this token (sd.recovery.begin makes it)`);
  return found.privateKey;
}

/** Idempotent: an existing pair is answered again, so a ceremony can resume after a restart. */
export function beginRecovery(s: Session, label: string): Promise<{ label: string; publicJwk: RsaPublicJwk; created: boolean }> {
  return withLabelLock(s, label, async () => {
    const found = recoveryObjects(s, label);
    if (!found) throw new BridgeError("LABEL_EXISTS", `an object labelled "${label}" on this token is not a recovery key; choose another label`);
    if (found.privateKey) return { label, publicJwk: rsaPublicPart(s, found.privateKey).publicJwk, created: false };
    // A public half alone is what an interrupted generation can leave: start again.
    for (const handle of found.all) s.p11.C_DestroyObject(s.handle, handle);
    const id = Buffer.concat([RECOVERY_ID_PREFIX, randomBytes(16)]);
    const pair = await generateDecryptionKeyPair(s, { label, id, size: RECOVERY_KEY_BITS, sign: false });
    return { label, publicJwk: rsaPublicPart(s, pair.privateKey).publicJwk, created: true };
  });
}

/** Idempotent: nothing to destroy is `destroyed: false`. Objects that are not a recovery key are never touched. */
export function endRecovery(s: Session, label: string): Promise<{ destroyed: boolean }> {
  return withLabelLock(s, label, async () => {
    const found = recoveryObjects(s, label);
    if (!found) throw new BridgeError("UNKNOWN_TARGET", `the object labelled "${label}" on this token is not a recovery key; it was left alone`);
    for (const handle of found.all) s.p11.C_DestroyObject(s.handle, handle);
    return { destroyed: found.all.length > 0 };
  });
}

/**
 * Opens each re-encrypted share with the recovery key, combines them and builds the restore blob for
 * the exchange key. The shares and the old master key exist only inside this call and are zeroed.
 */
export async function combineRecovery(s: Session, path: OaepSha256Path | null, command: CombineCommand): Promise<{ restoreBlob: string; sha256: string }> {
  let file;
  try {
    file = parseSecurityDomainFile(command.securityDomain);
  } catch (err) {
    throw fromSecurityDomain(err, "the security-domain file");
  }
  requireRsaRecipient(command.exchangeKey.publicJwk, "the exchange key");
  const key = { session: s, path, key: rsaPublicPart(s, requireRecoveryKey(s, command.label)) };
  const shares: Uint8Array[] = [];
  try {
    for (const [i, encShare] of command.shares.entries()) {
      const share = await openJweInToken(key, encShare, (detail) =>
        detail
          ? new BridgeError("SHARE_INVALID", `share ${i + 1} is not a re-encrypted share: ${detail}`)
          : new BridgeError("SHARE_INVALID", `share ${i + 1} does not open with the recovery key "${command.label}": it was encrypted to another key, or altered`),
      );
      shares.push(share);
      try {
        shareNumber(share);
      } catch (err) {
        throw fromSecurityDomain(err, `share ${i + 1} opened with the recovery key but is not a well-formed share`);
      }
    }
    const blob = await buildRestoreBlob({ file, shares, exchangeKey: command.exchangeKey });
    const restoreBlob = JSON.stringify(blob);
    return { restoreBlob, sha256: createHash("sha256").update(restoreBlob).digest("hex") };
  } catch (err) {
    throw fromSecurityDomain(err);
  } finally {
    for (const share of shares) share.fill(0);
  }
}
