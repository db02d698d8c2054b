import { createHash } from "node:crypto";
import { shareFor, parseSecurityDomainFile, type BridgeCommand, type Participant } from "@keyward/shared";
import type { RecoveryRecord, RehearsalRecord } from "./store";

/**
 * The exact commands custodians approve. Each is built the same way from the record every time, so the
 * command shown to a custodian (with its hash) is the command the portal signs after their approval.
 */

export interface ShownCommand {
  command: BridgeCommand;
  /** The command as JSON text, as the custodian reads it. */
  text: string;
  sha256: string;
}

function shown(command: BridgeCommand): ShownCommand {
  const text = JSON.stringify(command, null, 2);
  return { command, text, sha256: createHash("sha256").update(text).digest("hex") };
}

const approver = (p: Participant) => ({ oid: p.principalId, name: p.principalId });

export function reencryptCommand(r: Pick<RecoveryRecord, "id" | "securityDomain" | "ephemeralKey">, p: Participant): ShownCommand {
  return shown({
    type: "sd.share.reencrypt",
    key: p.keyLabel,
    encShare: shareFor(parseSecurityDomainFile(r.securityDomain), p.thumbprintSha256),
    recipient: r.ephemeralKey,
    recoveryId: r.id,
    approvedBy: approver(p),
  });
}

export function rehearseCommand(r: RehearsalRecord): ShownCommand {
  return shown({ type: "sd.share.rehearse", key: r.keyLabel, encShare: r.encShare, challenge: r.challenge, approvedBy: approver(r) });
}
