import { randomUUID } from "node:crypto";
import { BridgeError, KmsError, type CommandSigner, type KmsImportState } from "@keyward/shared";
import type { Logger } from "pino";
import { ReconnectingBridge } from "../bridge/client";
import { endpointOf } from "../bridges/registry";
import { outcomeOf, TARGET_REFUSALS } from "../ceremony/outcome";
import type { KmsEndpoint } from "../kms/app";
import { type KmsImportPatch, type KmsImportRecord, type KmsImportStore } from "./store";
import { LeaseLostError } from "../store/leases";

export interface JobRunnerOptions {
  store: KmsImportStore;
  kms: KmsEndpoint;
  signer: CommandSigner;
  log: Logger;
  /** Unix seconds, the target's clock (token and material expiry). */
  now: () => number;
  bridge?: { timeoutMs?: number; attempts?: number; retryDelayMs?: number };
}

/** The job cannot go on: the KMS refused, or the token key is not the one the job is bound to. */
class JobFailed extends Error {}
class Stopped extends Error {}

const DAY = 86_400;

/** What the KMS said, in its words and code: the refusal the custodian needs to see. */
const kmsWords = (err: KmsError) => `the KMS target refused: ${err.code}: ${err.message}`;

/**
 * Runs import jobs in the background of the portal process, one run per job at a time, under a lease.
 * Each step is written as it completes: a process stopped at any point leaves the job at its last
 * step. Redoing a step is harmless — a wrap is made again, a generated key is found by its label,
 * and importing the same material twice is what KMS allows.
 */
export class KmsImportRunner {
  readonly owner = `portal-${randomUUID()}`;
  private readonly o: JobRunnerOptions;
  private readonly active = new Map<string, Promise<void>>();
  private readonly bridges = new Set<ReconnectingBridge>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(o: JobRunnerOptions) {
    this.o = o;
  }

  /** Claim and run a job in `from` states (applying `patch` as it is claimed); false if another process has it. */
  async start(id: string, from: readonly KmsImportState[] = ["running"], patch: KmsImportPatch = {}): Promise<boolean> {
    if (this.active.has(id)) return false;
    if (this.stopped) return false;
    const claimed = this.o.store.claim(id, this.owner, from, this.o.store.dialect === "pglite", patch);
    this.active.set(id, claimed.then(() => undefined));
    if (!(await claimed)) {
      this.active.delete(id);
      return false;
    }
    this.active.set(
      id,
      this.run(id).finally(() => this.active.delete(id)),
    );
    return true;
  }

  watch(intervalMs = 30_000): void {
    this.timer ??= setInterval(() => void this.resumeOrphans().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async resumeOrphans(): Promise<string[]> {
    const started: string[] = [];
    for (const id of await this.o.store.orphans(this.owner, this.o.store.dialect === "pglite")) if (await this.start(id)) started.push(id);
    if (started.length) this.o.log.info({ event: "kms_imports_resumed", ids: started }, `resuming ${started.length} KMS import job(s)`);
    return started;
  }

  async idle(id: string): Promise<void> {
    await this.active.get(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const b of this.bridges) b.close();
    for (const id of this.active.keys()) await this.o.store.release(id, this.owner).catch(() => undefined);
  }

  private async write(j: KmsImportRecord, patch: KmsImportPatch): Promise<void> {
    if (this.stopped) throw new Stopped();
    await this.o.store.write(j.id, this.owner, patch, this.o.now());
    Object.assign(j, patch);
  }

  private async run(id: string): Promise<void> {
    const j = await this.o.store.find(id);
    if (!j) return;
    const bridge = new ReconnectingBridge(endpointOf(j.bridge), this.o.signer, this.o.bridge ?? {});
    this.bridges.add(bridge);
    try {
      if (j.state !== "running" || j.error !== null) await this.write(j, { state: "running", error: null });
      await this.steps(j, bridge);
    } catch (err) {
      if (this.stopped || err instanceof Stopped || err instanceof LeaseLostError) return;
      const { state, message } = this.outcome(err);
      if (message.startsWith("an internal error")) this.o.log.error({ event: "kms_import_error", id, err }, "KMS import job failed");
      await this.write(j, { state, error: message }).catch(() => undefined);
    } finally {
      bridge.close();
      this.bridges.delete(bridge);
      if (!this.stopped) await this.o.store.release(id, this.owner).catch(() => undefined);
    }
  }

  private outcome(err: unknown): { state: "failed" | "interrupted"; message: string } {
    if (err instanceof JobFailed) return { state: "failed", message: err.message };
    if (err instanceof KmsError) return { state: "failed", message: kmsWords(err) };
    if (err instanceof BridgeError && TARGET_REFUSALS.has(err.code)) return { state: "failed", message: `the HSM refused: ${err.code}: ${err.message}` };
    const o = outcomeOf(err);
    return { state: o.state, message: o.message.replace("the ceremony", "the import job") };
  }

  /** The job's new KMS key (Origin EXTERNAL) and alias, made once under the id the job recorded. */
  private async ensureKey(j: KmsImportRecord): Promise<void> {
    const kms = this.o.kms.service;
    const existing = await kms.resolve(j.keyId).catch((err: unknown) => {
      if (err instanceof KmsError && err.code === "Forbidden.KeyNotFound") return undefined;
      throw err;
    });
    if (!existing) {
      await kms.createKey(
        { KeySpec: "Aliyun_AES_256", KeyUsage: "ENCRYPT/DECRYPT", Origin: "EXTERNAL", ProtectionLevel: "HSM", Description: j.keyDescription, EnableAutomaticRotation: "false" },
        j.keyId,
      );
    }
    if (j.alias) {
      const named = await kms.resolve(j.alias).catch((err: unknown) => {
        if (err instanceof KmsError && err.code === "Forbidden.AliasNotFound") return undefined;
        throw err;
      });
      if (named && named.row.key_id !== j.keyId) throw new JobFailed(`the alias ${j.alias} was given to another KMS key meanwhile; the job's key ${j.keyId} has no alias`);
      if (!named) await kms.createAlias(j.keyId, j.alias);
    }
  }

  private async steps(j: KmsImportRecord, bridge: ReconnectingBridge): Promise<void> {
    const kms = this.o.kms.service;
    if (j.step === "planned" && j.keyCreated) await this.ensureKey(j);
    if (j.step === "planned") {
      // After a stop mid-generation the key may exist: the label was free when the job was planned.
      const { keys } = await bridge.run({ type: "key.list" });
      let key = keys.find((k) => k.label === j.hsmLabel);
      if (!key && j.hsmSource === "generate") key = await bridge.run({ type: "key.generate", label: j.hsmLabel, key: { kty: "oct", size: 256 } });
      if (!key) throw new JobFailed(`the HSM token no longer holds a key labelled ${j.hsmLabel}`);
      if (!key.kcv) throw new JobFailed(`the bridge reported no check value for ${j.hsmLabel}, so the material cannot be fingerprinted`);
      await this.write(j, { step: "hsm-key-ready", kcv: key.kcv });
    }
    for (;;) {
      const tokenLive = j.tokenExpires !== null && j.tokenExpires > this.o.now() + 60;
      if (j.step === "hsm-key-ready" || !tokenLive) {
        const p = await kms.getParametersForImport(j.keyId, j.algorithm, "RSA_2048");
        await this.write(j, { step: "parameters-fetched", publicKey: p.publicKey, importToken: p.importToken, tokenExpires: p.expires, encryptedMaterial: null });
      }
      if (j.step === "parameters-fetched") {
        const wrapped = await bridge.run({
          type: "kms.wrapMaterial",
          target: j.hsmLabel,
          wrappingPublicKey: j.publicKey ?? "",
          algorithm: j.algorithm,
          ...(j.allowPkcs1 ? { allowDeprecatedPkcs1: true } : {}),
        });
        if (wrapped.kcv !== j.kcv) {
          throw new JobFailed(`the HSM key ${j.hsmLabel} now has the check value ${wrapped.kcv ?? "(none)"}, not ${j.kcv ?? "(none)"}: it is not the key this job imported; nothing was imported`);
        }
        const warnings = [...new Set([...j.warnings, ...wrapped.warnings])];
        await this.write(j, { step: "wrapped", encryptedMaterial: wrapped.encryptedKeyMaterial, warnings });
      }
      // A token that lapsed while the job was stopped: fresh parameters and a fresh wrap.
      if (j.tokenExpires !== null && j.tokenExpires > this.o.now()) break;
      await this.write(j, { step: "hsm-key-ready" });
    }
    const now = this.o.now();
    await kms.importKeyMaterial(j.keyId, j.encryptedMaterial ?? "", j.importToken ?? "", j.materialDays === null ? 0 : now + j.materialDays * DAY);
    await this.write(j, { step: "imported", state: "completed", importedAt: now, imports: j.imports + 1, importToken: null, encryptedMaterial: null, publicKey: null });
  }
}
