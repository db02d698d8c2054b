import { randomBytes, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  BridgeError,
  parseSecurityDomainFile,
  SecurityDomainError,
  shareFor,
  TargetError,
  verifyRehearsalProof,
  type BridgeCommand,
  type CommandSigner,
  type CreateRecoveryRequest,
  type CreateRehearsalRequest,
  type ExchangeKey,
  type RecoveryView,
  type RehearsalView,
  type SecurityDomainFile,
} from "@keyward/shared";
import type { Principal } from "../auth/principal";
import { BridgeConnectionError, ReconnectingBridge, type ResultOf } from "../bridge/client";
import { endpointOf, principalRef, type BridgeRegistry } from "../bridges/registry";
import type { Db } from "../store";
import { reencryptCommand, rehearseCommand } from "./commands";
import { RecoveryStore, type RecoveryRecord, type RehearsalRecord } from "./store";

/** What recovery needs of the local target's security domain. */
export interface RecoveryTarget {
  /** The security-domain file last downloaded from this target (JSON text), if any. */
  latestFile(): Promise<string | null>;
  /** The key that checks rehearsal proofs of the share encrypted to this certificate, if it is in the current set. */
  rehearsalKey(thumbprintSha256: string): Promise<Uint8Array | null>;
  exchangeKey(): Promise<ExchangeKey>;
  /** Upload a restore blob; throws a TargetError when the target refuses it. */
  restore(restoreBlob: string): Promise<void>;
}

export interface RecoveryServiceOptions {
  db: Db;
  registry: BridgeRegistry;
  signer: CommandSigner;
  target: RecoveryTarget;
  log: Logger;
  now: () => number;
  /** Called when a custodian passes a rehearsal (the quorum records keep the date). */
  onRehearsalPassed?: (thumbprintSha256: string, at: number) => Promise<void>;
  bridge?: { timeoutMs?: number; attempts?: number; retryDelayMs?: number };
}

/**
 * Security-domain recovery and quorum rehearsal, run by the portal on other machines' HSMs: custodians'
 * bridges decrypt their own shares; only the recovery bridge ever combines them. Every step is recorded,
 * so an interrupted recovery is completed again from its recorded shares (the ephemeral key is a token
 * object on the recovery bridge) and the target is untouched until the restore blob is accepted whole.
 */
export class RecoveryService {
  readonly store: RecoveryStore;
  private readonly o: RecoveryServiceOptions;

  constructor(o: RecoveryServiceOptions) {
    this.o = o;
    this.store = new RecoveryStore(o.db);
  }

  async create(req: CreateRecoveryRequest, by: Principal): Promise<RecoveryView> {
    const text = req.securityDomain ?? (await this.o.target.latestFile());
    if (!text) throw new TargetError("Conflict", "this target has no downloaded security domain to recover from; upload the security-domain file with the request");
    const file = this.parseFile(text);
    const problems = this.participantProblems(file, req);
    if (problems.length) throw new TargetError("BadParameter", problems.join("; "));
    await this.o.registry.get(req.recoveryBridgeId);
    for (const p of req.participants) await this.o.registry.get(p.bridgeId);
    const id = randomUUID();
    const label = `sd-recovery-${id.slice(0, 8)}`;
    const begun = await this.run(req.recoveryBridgeId, { type: "sd.recovery.begin", label });
    const now = this.o.now();
    await this.store.create(
      {
        id,
        createdAt: now,
        updatedAt: now,
        createdBy: principalRef(by),
        state: "collecting",
        recoveryBridge: req.recoveryBridgeId,
        ephemeralLabel: label,
        ephemeralKey: begun.publicJwk,
        securityDomain: text,
        required: file.SharedKeys.required,
        error: null,
        restoreSha256: null,
      },
      req.participants,
    );
    this.o.log.info({ event: "sd_recovery_created", id, recoveryBridge: req.recoveryBridgeId, participants: req.participants.length }, "security-domain recovery started");
    return this.view(await this.store.get(id));
  }

  async get(id: string): Promise<RecoveryView> {
    return this.view(await this.store.get(id));
  }

  async list(): Promise<RecoveryView[]> {
    return (await this.store.list()).map((r) => this.view(r));
  }

  /** A custodian approves the exact command shown to them; the portal signs it for their bridge. */
  async approve(id: string, thumbprint: string, commandSha256: string, by: Principal): Promise<RecoveryView> {
    const r = await this.store.get(id);
    const share = r.shares.find((s) => s.thumbprintSha256 === thumbprint);
    if (!share) throw new TargetError("BadParameter", `recovery ${id} has no participant for the certificate ${thumbprint}`);
    if (share.principalId !== by.id) throw new TargetError("Forbidden", `only the custodian named for this share (${share.principalId}) may approve its command`);
    if (r.state !== "collecting") throw new TargetError("Conflict", `recovery ${id} is ${r.state}; it takes no more approvals`);
    if (share.approvedAt !== null) throw new TargetError("Conflict", `this share's command was already approved at ${new Date(share.approvedAt * 1000).toISOString()}; a custodian approves once`);
    const shown = reencryptCommand(r, share);
    if (shown.sha256 !== commandSha256) throw new TargetError("Conflict", "the command you approved is not the command the portal would sign (it changed, or the hash is wrong); reload and review it again");
    const result = await this.run(share.bridgeId, shown.command as Extract<BridgeCommand, { type: "sd.share.reencrypt" }>);
    const recorded = await this.store.approve(id, { thumbprint, by: principalRef(by), encShare: result.encShare, shareNumber: result.shareNumber }, this.o.now());
    if (!recorded) throw new TargetError("Conflict", "this share's command was already approved, or the recovery moved on, while your approval ran");
    this.o.log.info({ event: "sd_share_approved", id, thumbprint, by: by.id, shareNumber: result.shareNumber }, "custodian approved a share");
    const now = await this.store.get(id);
    if (now.shares.filter((s) => s.encShare).length >= now.required) return this.complete(id);
    return this.view(now);
  }

  /** Combine on the recovery bridge and restore the target; again after an interruption. */
  async complete(id: string): Promise<RecoveryView> {
    const r = await this.store.get(id);
    if (r.state === "completed" || r.state === "failed") return this.view(r);
    const approved = r.shares.filter((s) => s.encShare !== null);
    if (approved.length < r.required) {
      throw new TargetError("Conflict", `recovery needs ${r.required} approved shares; ${approved.length} ${approved.length === 1 ? "is" : "are"} in`);
    }
    await this.store.transition(id, ["collecting"], "combining", this.o.now());
    try {
      const exchangeKey = await this.o.target.exchangeKey();
      const combined = await this.run(r.recoveryBridge, {
        type: "sd.recovery.combine",
        label: r.ephemeralLabel,
        securityDomain: r.securityDomain,
        shares: approved.map((s) => s.encShare as string),
        exchangeKey,
      });
      await this.o.target.restore(combined.restoreBlob);
      await this.store.transition(id, ["combining"], "completed", this.o.now(), { restoreSha256: combined.sha256 });
      this.o.log.info({ event: "sd_recovery_completed", id, restoreBlobSha256: combined.sha256 }, "security domain restored");
    } catch (err) {
      // Unreachable bridges leave the recovery combining, to be completed again; refusals end it.
      if (err instanceof TargetError && err.code === "ServiceUnavailable") throw err;
      const message = err instanceof Error ? err.message : String(err);
      await this.store.transition(id, ["combining"], "failed", this.o.now(), { error: message });
      this.o.log.warn({ event: "sd_recovery_failed", id, error: message }, "security-domain recovery failed; the target is unchanged");
    }
    await this.run(r.recoveryBridge, { type: "sd.recovery.end", label: r.ephemeralLabel }).catch((err: unknown) =>
      this.o.log.warn({ event: "sd_recovery_end_failed", id, err }, "could not destroy the recovery bridge's ephemeral key; run the recovery's completion again to retry"),
    );
    return this.view(await this.store.get(id));
  }

  async createRehearsal(req: CreateRehearsalRequest, by: Principal): Promise<RehearsalView> {
    const text = await this.o.target.latestFile();
    if (!text) throw new TargetError("Conflict", "this target has no downloaded security domain to rehearse");
    const file = this.parseFile(text);
    if (!(await this.o.target.rehearsalKey(req.thumbprintSha256))) {
      throw new TargetError("BadParameter", `the certificate ${req.thumbprintSha256} is not one of this security domain's custodians`);
    }
    await this.o.registry.get(req.bridgeId);
    const record: RehearsalRecord = {
      ...req,
      id: randomUUID(),
      createdAt: this.o.now(),
      createdBy: principalRef(by),
      encShare: shareFor(file, req.thumbprintSha256),
      challenge: randomBytes(32).toString("base64url"),
      state: "pending",
      completedAt: null,
      error: null,
    };
    await this.store.createRehearsal(record);
    return this.rehearsalView(record);
  }

  async listRehearsals(): Promise<RehearsalView[]> {
    return (await this.store.listRehearsals()).map((r) => this.rehearsalView(r));
  }

  async approveRehearsal(id: string, commandSha256: string, by: Principal): Promise<RehearsalView> {
    const r = await this.store.findRehearsal(id);
    if (r.principalId !== by.id) throw new TargetError("Forbidden", `only the custodian named for this rehearsal (${r.principalId}) may approve its command`);
    if (r.state !== "pending") throw new TargetError("Conflict", `this rehearsal already ${r.state}; start a new one to rehearse again`);
    const shown = rehearseCommand(r);
    if (shown.sha256 !== commandSha256) throw new TargetError("Conflict", "the command you approved is not the command the portal would sign; reload and review it again");
    let passed = false;
    let error: string | null = null;
    try {
      const result = await this.run(r.bridgeId, shown.command as Extract<BridgeCommand, { type: "sd.share.rehearse" }>);
      const key = await this.o.target.rehearsalKey(r.thumbprintSha256);
      passed = key !== null && (await verifyRehearsalProof(key, Buffer.from(r.challenge, "base64url"), Buffer.from(result.proof, "base64url")));
      if (!passed) error = "the bridge's proof does not match this share: the key decrypted something else";
    } catch (err) {
      if (err instanceof TargetError && err.code === "ServiceUnavailable") throw err;
      error = err instanceof Error ? err.message : String(err);
    }
    const now = this.o.now();
    if (!(await this.store.settleRehearsal(id, passed ? "passed" : "failed", error, now))) throw new TargetError("Conflict", "this rehearsal was settled while your approval ran");
    if (passed) await this.o.onRehearsalPassed?.(r.thumbprintSha256, now);
    this.o.log.info({ event: "sd_rehearsal", id, thumbprint: r.thumbprintSha256, passed }, passed ? "custodian passed a quorum rehearsal" : "custodian failed a quorum rehearsal");
    return this.rehearsalView(await this.store.findRehearsal(id));
  }

  private parseFile(text: string): SecurityDomainFile {
    try {
      return parseSecurityDomainFile(text);
    } catch (err) {
      throw new TargetError("BadParameter", err instanceof SecurityDomainError ? `security-domain file: ${err.message}` : "the security-domain file cannot be read");
    }
  }

  private participantProblems(file: SecurityDomainFile, req: CreateRecoveryRequest): string[] {
    const problems: string[] = [];
    const { required, enc_shares } = file.SharedKeys;
    if (req.participants.length < required) problems.push(`this security domain needs ${required} custodians; ${req.participants.length} named`);
    const seen = new Set<string>();
    const people = new Set<string>();
    for (const p of req.participants) {
      if (!enc_shares.some((s) => s.x5t_256 === p.thumbprintSha256)) problems.push(`the certificate ${p.thumbprintSha256} holds no share of this security domain`);
      if (seen.has(p.thumbprintSha256)) problems.push(`the certificate ${p.thumbprintSha256} is named twice`);
      if (people.has(p.principalId)) problems.push(`${p.principalId} is named for two shares: each share needs its own custodian`);
      seen.add(p.thumbprintSha256);
      people.add(p.principalId);
    }
    return problems;
  }

  private async run<T extends BridgeCommand["type"]>(bridgeId: string, command: Extract<BridgeCommand, { type: T }>): Promise<ResultOf<T>> {
    const bridge = new ReconnectingBridge(endpointOf(await this.o.registry.get(bridgeId)), this.o.signer, this.o.bridge ?? {});
    try {
      return await bridge.run(command);
    } catch (err) {
      if (err instanceof BridgeConnectionError) throw new TargetError("ServiceUnavailable", `bridge ${bridgeId} is not reachable: ${err.message}`);
      if (err instanceof BridgeError) throw new TargetError("BadParameter", `bridge ${bridgeId} refused ${command.type}: ${err.message}`);
      throw err;
    } finally {
      bridge.close();
    }
  }

  private view(r: RecoveryRecord): RecoveryView {
    return {
      id: r.id,
      state: r.state,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      createdBy: r.createdBy,
      recoveryBridgeId: r.recoveryBridge,
      required: r.required,
      participants: r.shares.map((s) => {
        const shown = reencryptCommand(r, s);
        const { thumbprintSha256, principalId, bridgeId, keyLabel, approvedBy, approvedAt, shareNumber } = s;
        return { thumbprintSha256, principalId, bridgeId, keyLabel, command: shown.text, commandSha256: shown.sha256, approvedBy, approvedAt, shareNumber };
      }),
      error: r.error,
      restoreBlobSha256: r.restoreSha256,
    };
  }

  private rehearsalView(r: RehearsalRecord): RehearsalView {
    const shown = rehearseCommand(r);
    const { id, state, createdAt, createdBy, thumbprintSha256, principalId, bridgeId, keyLabel, completedAt, error } = r;
    return { id, state, createdAt, createdBy, thumbprintSha256, principalId, bridgeId, keyLabel, command: shown.text, commandSha256: shown.sha256, completedAt, error };
  }
}
