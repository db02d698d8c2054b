import { BridgeError, TargetError, verifyResult, type CommandSigner } from "@keyward/shared";
import { decodeJwt } from "jose";
import { signForBridge } from "../bridge/client";
import { endpointOf } from "../bridges/registry";
import { CeremonyFailed, CeremonyInterrupted } from "./outcome";
import type { CeremonyRunner } from "./runner";
import { applyGenerate, applyWrap, generateCommand, recordCommand, resolveKek, wrapCommand } from "./steps";
import type { CeremonyRecord, CeremonyStore, CommandRecord } from "./store";
import { nextFile } from "./view";

/** A downloaded command file is handed out again while it has at least this long to live. */
const REUSE_MARGIN_MS = 60_000;

const conflict = (message: string) => new TargetError("Conflict", message);

function awaitingFile(c: CeremonyRecord): void {
  if (c.mode !== "air-gapped") throw conflict(`ceremony ${c.id} is online; it has no command files`);
  if (c.state !== "awaiting-file") throw conflict(`ceremony ${c.id} is ${c.state}; it is not waiting for a file`);
}

/** The command a result names, read before verification only to know which command to verify it against. */
function claimedCommandHash(jws: string): string | undefined {
  try {
    const claimed = decodeJwt(jws).cmd_sha256;
    return typeof claimed === "string" ? claimed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The air-gapped half of a ceremony: signed command files out, signed result files in. A result is
 * applied only if it verifies against the bridge identity pinned in the ceremony and answers exactly a
 * command this ceremony issued and has not applied yet; otherwise nothing changes.
 */
export class AirGappedCeremonies {
  private readonly store: CeremonyStore;
  private readonly runner: CeremonyRunner;
  private readonly signer: CommandSigner;

  constructor(store: CeremonyStore, runner: CeremonyRunner, signer: CommandSigner) {
    this.store = store;
    this.runner = runner;
    this.signer = signer;
  }

  private async find(id: string): Promise<CeremonyRecord> {
    const c = await this.store.find(id);
    if (!c) throw new TargetError("NotFound", `no ceremony with the id ${JSON.stringify(id)}`);
    return c;
  }

  /** Work on an awaiting ceremony under its lease, so that two uploads cannot both apply. */
  private async locked<T>(c: CeremonyRecord, fn: () => Promise<T>): Promise<T> {
    if (!(await this.store.claim(c.id, this.runner.owner, ["awaiting-file"]))) throw conflict(`ceremony ${c.id} is being updated; try again`);
    try {
      return await fn();
    } finally {
      await this.store.release(c.id, this.runner.owner);
    }
  }

  async commandFile(id: string): Promise<{ jws: string; filename: string; latest: CommandRecord }> {
    const c = await this.find(id);
    awaitingFile(c);
    const plan = nextFile(c);
    if (!plan) throw conflict(`ceremony ${c.id} needs no further command file`);
    const seqs = plan.targets.map((t) => t.seq).join(",");
    const filename = `keyward-${c.id}-${plan.step}-${plan.file}-of-${plan.files}.jws`;
    const sent = await this.store.commands(c.id, ["sent"]);
    const reusable = sent.find((cmd) => cmd.step === plan.step && cmd.targets.join(",") === seqs && cmd.expiresAt > Date.now() + REUSE_MARGIN_MS);
    if (reusable) return { jws: reusable.jws, filename, latest: reusable };
    return this.locked(c, async () => {
      const run = this.runner.context(c);
      const [first] = plan.targets;
      const command = plan.step === "generate" && first ? generateCommand(first) : wrapCommand(plan.targets, await resolveKek(run));
      const cmd = await recordCommand(run, plan.step, plan.targets, await signForBridge(command, this.signer, c.bridge.bridgeId));
      return { jws: cmd.jws, filename, latest: cmd };
    });
  }

  async applyResultFile(id: string, jws: string): Promise<void> {
    const c = await this.find(id);
    awaitingFile(c);
    const sha = claimedCommandHash(jws);
    const cmd = sha === undefined ? undefined : await this.store.commandBySha256(c.id, sha);
    if (!cmd) throw new TargetError("BadParameter", `this result file does not answer any command file of ceremony ${c.id}; upload the result of the file downloaded for this ceremony`, "ResultFileForeign");
    const identity = endpointOf(c.bridge).identity;
    const claims = await verifyResult(jws, { trusted: [identity], bridgeId: c.bridge.bridgeId, command: cmd.jws }).catch((err: unknown) => {
      const code = err instanceof BridgeError ? err.code : "MALFORMED_COMMAND";
      throw new TargetError(
        "BadParameter",
        `this result file does not verify as signed by bridge ${c.bridge.bridgeId} (identity ${c.bridge.thumbprint}) for the command it names (${code}); nothing was applied`,
        "ResultFileInvalid",
      );
    });
    if (cmd.state !== "sent") throw new TargetError("BadParameter", `this result file was already applied to ceremony ${c.id}; download the next command file`, "ResultFileUsed");
    await this.locked(c, async () => {
      const run = this.runner.context(c);
      let error: string | null = null;
      try {
        await (cmd.step === "generate" ? applyGenerate(run, cmd, claims) : applyWrap(run, cmd, claims));
      } catch (err) {
        if (err instanceof CeremonyFailed) {
          await run.write((w) => w.ceremony({ state: "failed", error: err.message, finishedAt: w.now }));
          return;
        }
        if (!(err instanceof CeremonyInterrupted)) throw err;
        error = `${err.message}; download the command file again`;
      }
      // Other downloads of the same file can no longer be applied.
      const stale = (await this.store.commands(c.id, ["sent"])).filter((s) => s.step === cmd.step && s.targets.some((t) => cmd.targets.includes(t)));
      const next = nextFile(c) ? "awaiting-file" : "running";
      await run.write(async (w) => {
        for (const s of stale) await w.command(s.jti, "void");
        await w.ceremony({ state: next, error });
      });
    });
    // Every file is in: the portal imports and proves, as online.
    if (!nextFile(c)) await this.runner.start(c.id);
  }
}
