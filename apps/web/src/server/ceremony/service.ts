import { TargetError, type Ceremony, type CeremonyList, type CommandSigner, type CreateCeremonyRequest } from "@keyward/shared";
import type { Logger } from "pino";
import type { Principal } from "../auth/principal";
import type { BridgeRegistry } from "../bridges/registry";
import type { BridgeStatusService } from "../bridges/status";
import type { Target } from "../target/app";
import { AirGappedCeremonies } from "./air-gapped";
import { planCeremony } from "./plan";
import { CeremonyRunner, type RunnerOptions } from "./runner";
import { CeremonyStore } from "./store";
import { TargetOps } from "./target-ops";
import { toCeremony, toSummary } from "./view";

export interface CeremonyServiceOptions {
  target: Target;
  origin: string;
  registry: BridgeRegistry;
  status: BridgeStatusService;
  signer: CommandSigner;
  log: Logger;
  bridge?: RunnerOptions["bridge"];
}

/** Ceremonies for the portal API: create (validated, then started), read, resume, and the air-gapped files. */
export class CeremonyService {
  readonly store: CeremonyStore;
  readonly runner: CeremonyRunner;
  private readonly airGapped: AirGappedCeremonies;
  private readonly o: CeremonyServiceOptions;
  private readonly ops: TargetOps;

  constructor(o: CeremonyServiceOptions) {
    this.o = o;
    this.store = new CeremonyStore(o.target.db);
    this.ops = new TargetOps(o.target.ctx, o.origin);
    this.runner = new CeremonyRunner({ store: this.store, ops: this.ops, signer: o.signer, log: o.log, ...(o.bridge ? { bridge: o.bridge } : {}) });
    this.airGapped = new AirGappedCeremonies(this.store, this.runner, o.signer);
  }

  async create(req: CreateCeremonyRequest, principal: Principal): Promise<Ceremony> {
    const record = await planCeremony({ registry: this.o.registry, status: this.o.status, ops: this.ops }, req, principal);
    await this.store.create(record, null);
    this.o.log.info({ event: "ceremony_created", id: record.id, principal: principal.id, bridge: record.bridge.bridgeId, mode: record.mode, targets: record.targets.length }, "ceremony created");
    await this.runner.start(record.id);
    return toCeremony(record);
  }

  async get(id: string): Promise<Ceremony> {
    const c = await this.store.find(id);
    if (!c) throw new TargetError("NotFound", `no ceremony with the id ${JSON.stringify(id)}`);
    const latest = c.state === "awaiting-file" ? (await this.store.commands(id, ["sent"])).at(-1) : undefined;
    return toCeremony(c, latest);
  }

  async list(limit: number): Promise<CeremonyList> {
    return { ceremonies: (await this.store.list(limit)).map((r) => toSummary(r.ceremony, r.counts)) };
  }

  /** Continue an interrupted ceremony (or one whose runner is gone) as its creator. */
  async resume(id: string): Promise<Ceremony> {
    const c = await this.store.find(id);
    if (!c) throw new TargetError("NotFound", `no ceremony with the id ${JSON.stringify(id)}`);
    if (c.state !== "interrupted" && c.state !== "running") throw new TargetError("Conflict", `ceremony ${id} is ${c.state}; only an interrupted ceremony can be resumed`);
    if (!(await this.runner.start(id, ["interrupted", "running"]))) throw new TargetError("Conflict", `ceremony ${id} is already running`);
    return this.get(id);
  }

  commandFile(id: string) {
    return this.airGapped.commandFile(id);
  }

  async resultFile(id: string, jws: string): Promise<Ceremony> {
    await this.airGapped.applyResultFile(id, jws);
    return this.get(id);
  }
}
