import { BridgeError, encryptToRsaJwe, rehearsalProof, shareNumber, type BridgeCommand } from "@keyward/shared";
import type { Logger } from "../log.js";
import type { Session } from "../pkcs11/token.js";
import { findCustodianKey } from "./custodian-key.js";
import type { OaepSha256Path } from "./oaep-decrypt.js";
import { openJweInToken, requireRsaRecipient } from "./rsa-jwe.js";
import { fromSecurityDomain } from "./security-domain-errors.js";

/**
 * A custodian's share commands: the share (an RSA-OAEP-256 JWE to the custodian's certificate) is
 * opened in this bridge with the custodian key in the token, used, and zeroed. What leaves is a proof
 * bound to a challenge (rehearsal) or the share encrypted to the recovery bridge's key (recovery) —
 * never the share itself. Who approved the command in the portal goes to the log; the share never does.
 */

type RehearseCommand = Extract<BridgeCommand, { type: "sd.share.rehearse" }>;
type ReencryptCommand = Extract<BridgeCommand, { type: "sd.share.reencrypt" }>;

export interface ShareContext {
  path: OaepSha256Path | null;
  log: Logger;
}

/** The plaintext share under `encShare` and its share number; the caller zeroes the share. */
async function openShare(s: Session, path: OaepSha256Path | null, label: string, encShare: string): Promise<{ share: Uint8Array; number: number }> {
  const key = findCustodianKey(s, label);
  const share = await openJweInToken({ session: s, path, key }, encShare, (detail) =>
    detail
      ? new BridgeError("SHARE_INVALID", `the share is not a security-domain share: ${detail}`)
      : new BridgeError("SHARE_INVALID", `the share does not open with custodian key "${label}": it was encrypted to another certificate, or altered`),
  );
  try {
    return { share, number: shareNumber(share) };
  } catch (err) {
    share.fill(0);
    throw fromSecurityDomain(err, `the share opened with custodian key "${label}" but is not a well-formed share`);
  }
}

export async function rehearseShare(s: Session, command: RehearseCommand, ctx: ShareContext): Promise<{ proof: string; shareNumber: number }> {
  const { share, number } = await openShare(s, ctx.path, command.key, command.encShare);
  try {
    const proof = await rehearsalProof(share, Buffer.from(command.challenge, "base64url")).catch((err: unknown) => {
      throw fromSecurityDomain(err);
    });
    ctx.log.info({ event: "share_rehearsed", key: command.key, shareNumber: number, approvedBy: command.approvedBy }, "share rehearsal proof made");
    return { proof: Buffer.from(proof).toString("base64url"), shareNumber: number };
  } finally {
    share.fill(0);
  }
}

export async function reencryptShare(s: Session, command: ReencryptCommand, ctx: ShareContext): Promise<{ encShare: string; shareNumber: number }> {
  // Refused before the share is opened: nothing is decrypted for a recipient that will not do.
  requireRsaRecipient(command.recipient, "the recipient (the recovery bridge's key)");
  const { share, number } = await openShare(s, ctx.path, command.key, command.encShare);
  try {
    const encShare = await encryptToRsaJwe(command.recipient, share);
    ctx.log.info(
      { event: "share_reencrypted", key: command.key, shareNumber: number, recoveryId: command.recoveryId, approvedBy: command.approvedBy },
      "share re-encrypted to the recovery bridge",
    );
    return { encShare, shareNumber: number };
  } finally {
    share.fill(0);
  }
}
