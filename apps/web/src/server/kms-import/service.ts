import {
  TargetError,
  type CommandSigner,
  type CreateKmsImportRequestParsed,
  type KmsImportJob,
  type KmsImportList,
  type KmsImportOptions,
  type KmsImportReminders,
  type KmsKeyList,
} from "@keyward/shared";
import type { Logger } from "pino";
import type { Principal } from "../auth/principal";
import type { BridgeRegistry } from "../bridges/registry";
import type { BridgeStatusService } from "../bridges/status";
import type { KmsEndpoint } from "../kms/app";
import type { KmsKey } from "../kms/service";
import type { Db } from "../store";
import { askToken, bridgeOf, optionsOf, planJob } from "./plan";
import { KmsImportRunner, type JobRunnerOptions } from "./runner";
import { KmsImportStore, type KmsImportRecord } from "./store";
import { toJob } from "./view";

export interface KmsImportServiceOptions {
  db: Db;
  kms: KmsEndpoint;
  registry: BridgeRegistry;
  status: BridgeStatusService;
  signer: CommandSigner;
  log: Logger;
  now: () => number;
  bridge?: JobRunnerOptions["bridge"];
}

const LIST_LIMIT = 200;
/** Most KMS keys the portal lists (ListKeys pages of 100). */
const KEY_LIST_LIMIT = 1000;

/** KMS import jobs for the portal API: plan and start, read with the key's live state, resume, re-import. */
export class KmsImportService {
  readonly store: KmsImportStore;
  readonly runner: KmsImportRunner;
  private readonly o: KmsImportServiceOptions;

  constructor(o: KmsImportServiceOptions) {
    this.o = o;
    this.store = new KmsImportStore(o.db);
    this.runner = new KmsImportRunner({ store: this.store, kms: o.kms, signer: o.signer, log: o.log, now: o.now, ...(o.bridge ? { bridge: o.bridge } : {}) });
  }

  /** DescribeKey in-process; undefined when the key is gone from the target. */
  private async describe(keyId: string): Promise<KmsKey | undefined> {
    return this.o.kms.service.resolve(keyId).catch(() => undefined);
  }

  private async view(j: KmsImportRecord): Promise<KmsImportJob> {
    return toJob(j, await this.describe(j.keyId), this.o.now());
  }

  private async record(id: string): Promise<KmsImportRecord> {
    const j = await this.store.find(id);
    if (!j) throw new TargetError("NotFound", `no KMS import job with the id ${JSON.stringify(id)}`);
    return j;
  }

  async options(bridgeId: string): Promise<KmsImportOptions> {
    const bridge = await bridgeOf(this.o.registry, bridgeId);
    const { described, keys } = await askToken(this.o.status, bridge);
    return optionsOf(bridge.bridgeId, described, keys, this.o.kms.accepts);
  }

  async create(req: CreateKmsImportRequestParsed, principal: Principal): Promise<KmsImportJob> {
    const j = await planJob({ registry: this.o.registry, status: this.o.status, kms: this.o.kms, now: this.o.now }, req, principal);
    await this.store.create(j);
    this.o.log.info({ event: "kms_import_created", id: j.id, principal: principal.id, bridge: j.bridge.bridgeId, keyId: j.keyId, algorithm: j.algorithm }, "KMS import job created");
    await this.runner.start(j.id);
    return this.view(j);
  }

  async get(id: string): Promise<KmsImportJob> {
    return this.view(await this.record(id));
  }

  async list(): Promise<KmsImportList> {
    const jobs = await this.store.list(LIST_LIMIT);
    return { jobs: await Promise.all(jobs.map((j) => this.view(j))) };
  }

  /** Jobs whose imported material lapses within `days`, soonest first; the latest job per key. */
  async reminders(days: number): Promise<KmsImportReminders> {
    const { jobs } = await this.list();
    const latest = new Map<string, KmsImportJob>();
    for (const j of jobs) if (!latest.has(j.keyId)) latest.set(j.keyId, j);
    const reminders = [...latest.values()]
      .filter((j) => j.materialDaysLeft !== undefined && j.materialDaysLeft <= days && j.materialExpiresAt !== undefined)
      .map((j) => ({ id: j.id, keyId: j.keyId, ...(j.alias ? { alias: j.alias } : {}), materialExpiresAt: j.materialExpiresAt ?? "", daysLeft: j.materialDaysLeft ?? 0 }))
      .sort((a, b) => a.daysLeft - b.daysLeft);
    return { withinDays: days, reminders };
  }

  async resume(id: string): Promise<KmsImportJob> {
    const j = await this.record(id);
    if (j.state !== "interrupted" && j.state !== "running") throw new TargetError("Conflict", `KMS import job ${id} is ${j.state}; only an interrupted job can be resumed`);
    if (!(await this.runner.start(id, ["interrupted", "running"]))) throw new TargetError("Conflict", `KMS import job ${id} is already running`);
    return this.get(id);
  }

  /** The same HSM key wrapped under fresh parameters and imported again: for material that expired or was deleted. */
  async reimport(id: string): Promise<KmsImportJob> {
    const j = await this.record(id);
    const key = await this.describe(j.keyId);
    if (j.state !== "completed" && j.state !== "failed") throw new TargetError("Conflict", `KMS import job ${id} is ${j.state}; re-import once it has finished`);
    if (j.kcv === null) throw new TargetError("Conflict", `KMS import job ${id} never reached its HSM key, so there is no material to import again; start a new job`);
    if (!key) throw new TargetError("Conflict", `the KMS key ${j.keyId} is gone from the target`);
    if (key.state !== "PendingImport") throw new TargetError("Conflict", `the KMS key ${j.keyId} is ${key.state}: its material has neither expired nor been deleted`);
    const started = await this.runner.start(id, ["completed", "failed"], { state: "running", step: "hsm-key-ready", error: null, importToken: null, encryptedMaterial: null, tokenExpires: null, publicKey: null });
    if (!started) throw new TargetError("Conflict", `KMS import job ${id} is already running`);
    this.o.log.info({ event: "kms_reimport_started", id, keyId: j.keyId }, "KMS re-import started");
    return this.get(id);
  }

  /** Every KMS key with its origin and state (ListKeys + DescribeKey), for the KMS inventory. */
  async keys(): Promise<KmsKeyList> {
    const keys: KmsKeyList["keys"] = [];
    for (let page = 1; keys.length < KEY_LIST_LIMIT; page++) {
      const { keyIds, total } = await this.o.kms.service.listKeys(page, 100);
      for (const id of keyIds) {
        const k = await this.describe(id);
        if (!k) continue;
        const expire = k.row.material_expire;
        keys.push({ keyId: id, origin: k.row.origin, keyState: k.state, description: k.row.description, ...(expire !== null ? { materialExpiresAt: new Date(expire * 1000).toISOString() } : {}) });
      }
      if (page * 100 >= total || keyIds.length === 0) break;
    }
    return { keys };
  }
}
