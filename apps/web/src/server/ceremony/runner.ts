import { randomUUID } from "node:crypto";
import { BridgeError, type CeremonyState, type CommandSigner } from "@keyward/shared";
import type { Logger } from "pino";
import { ReconnectingBridge } from "../bridge/client";
import { endpointOf } from "../bridges/registry";
import { outcomeOf } from "./outcome";
import {
  applyGenerate,
  applyWrap,
  finish,
  generateCommand,
  importAndProve,
  nextWrapBatch,
  patchTarget,
  pendingGeneration,
  recordCommand,
  resolveKek,
  signedOf,
  wrapCommand,
  type Run,
} from "./steps";
import { type CeremonyRecord, type CeremonyStore, type CommandRecord, type TargetRecord } from "./store";
import type { TargetOps } from "./target-ops";
import { LeaseLostError } from "../store/leases";

export interface RunnerOptions {
  store: CeremonyStore;
  ops: TargetOps;
  signer: CommandSigner;
  log: Logger;
  /** Bridge connection tuning (tests shorten it). */
  bridge?: { timeoutMs?: number; attempts?: number; retryDelayMs?: number };
}

/** This process stopped: whatever a run was doing is left for the next process to resume. */
class Stopped extends Error {}

/**
 * Runs ceremonies in the background of the portal process, one run per ceremony at a time, under a
 * lease in the database. Each step is written as it completes and each command before it is sent, so
 * a process that stops at any point leaves a ceremony the next one resumes exactly where it was.
 */
export class CeremonyRunner {
  readonly owner = `portal-${randomUUID()}`;
  private readonly o: RunnerOptions;
  private readonly active = new Map<string, Promise<void>>();
  private readonly starting = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly bridges = new Set<ReconnectingBridge>();
  private stopped = false;

  constructor(o: RunnerOptions) {
    this.o = o;
  }

  /** Start (or continue) a ceremony in `from` states if no other process runs it; false if it could not be claimed. */
  async start(id: string, from: readonly CeremonyState[] = ["running"]): Promise<boolean> {
    if (this.active.has(id) || this.starting.has(id)) return true;
    if (this.stopped) return false;
    // Marked before the first await: two starts of one ceremony in this process must not both run it.
    this.starting.add(id);
    try {
      if (!(await this.o.store.claim(id, this.owner, from, this.o.store.dialect === "pglite"))) return false;
      this.active.set(
        id,
        this.run(id).finally(() => this.active.delete(id)),
      );
      return true;
    } finally {
      this.starting.delete(id);
    }
  }

  /** Look for orphaned ceremonies now and then: with a shared PostgreSQL, another process may have died. */
  watch(intervalMs = 30_000): void {
    this.timer ??= setInterval(() => void this.resumeOrphans().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  /** Pick up ceremonies whose runner is gone: at start, the ones this process left running when it stopped. */
  async resumeOrphans(): Promise<string[]> {
    const ids = await this.o.store.orphans(this.owner, this.o.store.dialect === "pglite");
    const started: string[] = [];
    for (const id of ids) if (await this.start(id)) started.push(id);
    if (started.length) this.o.log.info({ event: "ceremonies_resumed", ids: started }, `resuming ${started.length} ceremony(ies)`);
    return started;
  }

  /** Settle when the ceremony's current run (if any) has ended. */
  async idle(id: string): Promise<void> {
    await this.active.get(id);
  }

  /** Stop taking work and let go of every ceremony; commands in flight are fetched by the next process. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const b of this.bridges) b.close();
    for (const id of this.active.keys()) await this.o.store.release(id, this.owner).catch(() => undefined);
  }

  /** A run context for one ceremony: every write checks that this process still holds the lease. */
  context(c: CeremonyRecord): Run {
    return {
      c,
      ops: this.o.ops,
      write: async (fn) => {
        if (this.stopped) throw new Stopped();
        return this.o.store.write(c.id, this.owner, fn);
      },
    };
  }

  private async run(id: string): Promise<void> {
    const c = await this.o.store.find(id);
    if (!c) return;
    const run = this.context(c);
    const bridge = new ReconnectingBridge(endpointOf(c.bridge), this.o.signer, this.o.bridge ?? {});
    this.bridges.add(bridge);
    try {
      if (c.state !== "running" || c.error !== undefined) {
        await run.write((w) => w.ceremony({ state: "running", error: null }));
        c.state = "running";
        delete c.error;
      }
      const kek = await resolveKek(run);
      if (c.mode === "air-gapped" && (pendingGeneration(c).length > 0 || nextWrapBatch(c).length > 0)) {
        await run.write((w) => w.ceremony({ state: "awaiting-file", error: null }));
        c.state = "awaiting-file";
        return;
      }
      if (c.mode === "online") {
        for (const cmd of await this.o.store.commands(c.id, ["sent"])) await this.settle(run, bridge, cmd);
        for (const t of pendingGeneration(c)) await this.send(run, bridge, "generate", [t], generateCommand(t));
        // Each answered batch wraps or fails every target it names, or fails the one the bridge refused.
        for (let batch = nextWrapBatch(c); batch.length; batch = nextWrapBatch(c)) await this.send(run, bridge, "wrap", batch, wrapCommand(batch, kek));
      }
      await importAndProve(run);
      await finish(run);
    } catch (err) {
      if (this.stopped || err instanceof Stopped || err instanceof LeaseLostError) return;
      const outcome = outcomeOf(err);
      if (outcome.message.startsWith("an internal error")) this.o.log.error({ event: "ceremony_error", id, err }, "ceremony run failed");
      await run
        .write(async (w) => {
          await w.ceremony({ state: outcome.state, error: outcome.message, ...(outcome.state === "failed" ? { finishedAt: w.now } : {}) });
          c.state = outcome.state;
        })
        .catch(() => undefined);
    } finally {
      bridge.close();
      this.bridges.delete(bridge);
      if (!this.stopped) await this.o.store.release(c.id, this.owner).catch(() => undefined);
    }
  }

  private async send(run: Run, bridge: ReconnectingBridge, step: "generate" | "wrap", targets: TargetRecord[], command: Parameters<ReconnectingBridge["sign"]>[0]): Promise<void> {
    const cmd = await recordCommand(run, step, targets, await bridge.sign(command));
    const claims = await bridge.execute(signedOf(cmd));
    await (step === "generate" ? applyGenerate(run, cmd, claims) : applyWrap(run, cmd, claims));
  }

  /** A command recorded as sent by an earlier run: its result is fetched by jti, never the command resent. */
  private async settle(run: Run, bridge: ReconnectingBridge, cmd: CommandRecord): Promise<void> {
    try {
      const claims = await bridge.execute(signedOf(cmd), { sent: true });
      await (cmd.step === "generate" ? applyGenerate(run, cmd, claims) : applyWrap(run, cmd, claims));
    } catch (err) {
      if (!(err instanceof BridgeError && err.code === "RESULT_UNAVAILABLE")) throw err;
      // Expired on the bridge: whether it ran is unknown. A wrap is simply made again; a generated key is looked for by label.
      await run.write((w) => w.command(cmd.jti, "void"));
      if (cmd.step === "generate") await this.recoverGenerated(run, bridge, cmd);
    }
  }

  private async recoverGenerated(run: Run, bridge: ReconnectingBridge, cmd: CommandRecord): Promise<void> {
    const t = run.c.targets.find((x) => x.seq === cmd.targets[0]);
    if (!t || t.state !== "pending") return;
    const { keys } = await bridge.run({ type: "key.list" });
    const found = keys.find((k) => k.label === t.label);
    // The label was free when the ceremony was created, so a key under it now is the one this command made.
    if (found) await run.write((w) => patchTarget(w, t, { state: "generated", tokenKey: found }));
  }
}
