import { createHash } from "node:crypto";
import { MAX_BATCH_TARGETS, TargetError, describeKeySpec, type BridgeCommand, type ResultClaims, type TokenKey } from "@keyward/shared";
import type { SignedCommand } from "../bridge/client";
import { CeremonyFailed, CeremonyInterrupted, TARGET_REFUSALS, refusedLabel } from "./outcome";
import { ProofError } from "./proof";
import type { CeremonyRecord, CeremonyWriter, CommandRecord, CommandStep, TargetPatch, TargetRecord } from "./store";
import type { ResolvedKek, TargetOps } from "./target-ops";

/** One ceremony being worked on: its record (kept in step with the database) and lease-guarded writes. */
export interface Run {
  c: CeremonyRecord;
  ops: TargetOps;
  write<T>(fn: (w: CeremonyWriter) => Promise<T>): Promise<T>;
}

export async function patchTarget(w: CeremonyWriter, t: TargetRecord, patch: TargetPatch): Promise<void> {
  await w.target(t.seq, patch);
  Object.assign(t, patch, { updatedAt: w.now });
  if (patch.error === undefined && "error" in patch) delete t.error;
}

const targetAt = (c: CeremonyRecord, seq: number): TargetRecord => {
  const t = c.targets.find((x) => x.seq === seq);
  if (!t) throw new Error(`ceremony ${c.id} has no target ${seq}`);
  return t;
};

/** Targets whose key is on the token and not yet wrapped: generated ones, and existing token keys. */
export const wrapReady = (c: CeremonyRecord) => c.targets.filter((t) => (t.source === "generate" ? t.state === "generated" : t.state === "pending"));
export const pendingGeneration = (c: CeremonyRecord) => c.targets.filter((t) => t.source === "generate" && t.state === "pending");

export const signedOf = (cmd: CommandRecord): SignedCommand => ({ jws: cmd.jws, jti: cmd.jti, exp: Math.floor(cmd.expiresAt / 1000), sha256: cmd.sha256 });

/** Keep a signed command before it goes anywhere: a portal that stops now finds it on restart. */
export async function recordCommand(run: Run, step: CommandStep, targets: readonly TargetRecord[], signed: SignedCommand): Promise<CommandRecord> {
  const cmd: CommandRecord = {
    jti: signed.jti,
    ceremonyId: run.c.id,
    step,
    targets: targets.map((t) => t.seq),
    jws: signed.jws,
    sha256: signed.sha256,
    expiresAt: signed.exp * 1000,
    state: "sent",
    createdAt: Date.now(),
  };
  await run.write((w) => w.addCommand(cmd));
  return cmd;
}

export function generateCommand(t: TargetRecord): BridgeCommand {
  return { type: "key.generate", label: t.label, key: t.spec };
}

export function wrapCommand(targets: readonly TargetRecord[], kek: ResolvedKek): BridgeCommand {
  return { type: "byok.wrapBatch", targets: targets.map((t) => t.label), kek: { kid: kek.kid, publicKeyPem: kek.publicKeyPem } };
}

export const nextWrapBatch = (c: CeremonyRecord) => wrapReady(c).slice(0, MAX_BATCH_TARGETS);

/** The KEK: created on the first run (as the ceremony's principal), re-checked as usable on every run. */
export async function resolveKek(run: Run): Promise<ResolvedKek> {
  const { c, ops } = run;
  try {
    if (c.kek.kid) {
      const version = c.kek.kid.split("/").pop() ?? "";
      const bundle = await ops.find(c.kek.name, version);
      if (!bundle) throw new CeremonyFailed(`the KEK ${c.kek.name} is no longer in the target`);
      return ops.kekOf(bundle, c.kek.name);
    }
    if (!c.kek.created || !c.kek.size) throw new CeremonyFailed(`the KEK ${c.kek.name} was never resolved`);
    const kek = await ops.createKek(c.principal, c.kek.name, c.kek.size, c.id);
    const record = { ...c.kek, kid: kek.kid };
    await run.write((w) => w.ceremony({ kek: record }));
    c.kek = record;
    return kek;
  } catch (err) {
    if (err instanceof TargetError && (err.code === "BadParameter" || err.code === "Forbidden" || err.code === "Conflict")) throw new CeremonyFailed(`KEK ${c.kek.name}: ${err.message}`);
    throw err;
  }
}

/** A bridge refusal that is not about one key: the command is void, and the ceremony stops in words. */
async function interruptFor(run: Run, cmd: CommandRecord, claims: Extract<ResultClaims, { ok: false }>): Promise<never> {
  await run.write((w) => w.command(cmd.jti, "void"));
  const { code, message } = claims.error;
  if (code === "INVALID_KEK") throw new CeremonyFailed(`the bridge refused the KEK: ${message}`);
  if (code === "EXPIRED") throw new CeremonyInterrupted("the bridge refused the command because it had expired (a command is valid for 5 minutes); a new one is needed");
  throw new CeremonyInterrupted(`the bridge refused: ${code}: ${message}`);
}

/** Apply a verified result of a `key.generate` command to its target. */
export async function applyGenerate(run: Run, cmd: CommandRecord, claims: ResultClaims): Promise<void> {
  const t = targetAt(run.c, cmd.targets[0] ?? -1);
  if (!claims.ok && !TARGET_REFUSALS.has(claims.error.code)) return interruptFor(run, cmd, claims);
  await run.write(async (w) => {
    await w.command(cmd.jti, "answered");
    if (claims.ok && claims.type === "key.generate") await patchTarget(w, t, { state: "generated", tokenKey: claims.result, error: undefined });
    else if (!claims.ok) await patchTarget(w, t, { state: "failed", error: `the HSM did not generate ${t.label}: ${claims.error.code}: ${claims.error.message}` });
    else await patchTarget(w, t, { state: "failed", error: `the bridge answered ${claims.type} to key.generate` });
  });
}

/** Key ids compared by name and version: the host part follows the origin the portal was reached at. */
function sameKey(a: string, b: string | undefined): boolean {
  const path = (kid: string) => {
    try {
      return new URL(kid).pathname;
    } catch {
      return kid;
    }
  };
  return b !== undefined && path(a) === path(b);
}

/** Compared by meaning: the database does not keep a JSON object's key order. */
function sameSpec(a: TargetRecord["spec"], b: TokenKey["spec"]): boolean {
  return b !== null && describeKeySpec(a) === describeKeySpec(b);
}

/** Apply a verified result of a `byok.wrapBatch` command: every target wrapped, or the one it names failed. */
export async function applyWrap(run: Run, cmd: CommandRecord, claims: ResultClaims): Promise<void> {
  const targets = cmd.targets.map((seq) => targetAt(run.c, seq));
  if (!claims.ok) {
    if (!TARGET_REFUSALS.has(claims.error.code)) return interruptFor(run, cmd, claims);
    const label = refusedLabel(claims.error.message);
    const named = targets.filter((t) => t.label === label);
    // Without a target named, the whole batch is refused: every key of it fails (and the loop ends).
    const refused = named.length ? named : targets;
    await run.write(async (w) => {
      await w.command(cmd.jti, "answered");
      for (const t of refused) await patchTarget(w, t, { state: "failed", error: `the HSM did not wrap ${t.label}: ${claims.error.code}: ${claims.error.message}` });
    });
    return;
  }
  if (claims.type !== "byok.wrapBatch") throw new CeremonyInterrupted(`the bridge answered ${claims.type} to byok.wrapBatch`);
  await run.write(async (w) => {
    await w.command(cmd.jti, "answered");
    for (const t of targets) {
      const item = claims.result.items.find((i) => i.target.label === t.label);
      const sha256 = item ? createHash("sha256").update(item.byok).digest("hex") : undefined;
      if (!item) await patchTarget(w, t, { state: "failed", error: `the bridge returned no wrapped key for ${t.label}` });
      else if (!sameKey(item.kek.kid, run.c.kek.kid)) await patchTarget(w, t, { state: "failed", error: `${t.label} was wrapped for ${item.kek.kid}, not the ceremony's KEK` });
      else if (!sameSpec(t.spec, item.target.spec)) {
        const found = item.target.spec ? describeKeySpec(item.target.spec) : "of a type Keyward does not import";
        await patchTarget(w, t, { state: "failed", error: `the token key ${t.label} is ${found}, not the ${describeKeySpec(t.spec)} the ceremony asked for; nothing was imported` });
      } else if (sha256 !== item.sha256) await patchTarget(w, t, { state: "failed", error: `the .byok of ${t.label} does not match the hash the bridge signed` });
      else await patchTarget(w, t, { state: "wrapped", byok: item.byok, byokSha256: sha256, tokenKey: item.target, error: undefined });
    }
  });
}

/** Import (as the ceremony's principal) and prove each wrapped key; a refusal fails that key alone. */
export async function importAndProve(run: Run): Promise<void> {
  const { c, ops } = run;
  for (const t of c.targets) {
    if (t.state !== "wrapped" && t.state !== "imported") continue;
    try {
      if (t.state === "wrapped") {
        const kid = await ops.importByok(c.principal, t.name, t.spec, t.byok ?? "", c.id);
        await run.write((w) => patchTarget(w, t, { state: "imported", kid }));
      }
      if (!t.tokenKey || !t.kid) throw new ProofError(`nothing to compare ${t.name} with: the bridge's report is missing`);
      const proof = await ops.prove(t.name, t.kid, t.spec, t.tokenKey);
      await run.write((w) => patchTarget(w, t, { state: "proven", proof }));
    } catch (err) {
      const final = err instanceof ProofError || (err instanceof TargetError && err.code !== "InternalError" && err.code !== "ServiceUnavailable");
      if (!final) throw err;
      await run.write((w) => patchTarget(w, t, { state: "failed", error: err.message }));
    }
  }
}

/** Completed when every key is proven; failed when any key failed, saying how many. */
export async function finish(run: Run): Promise<void> {
  const { c } = run;
  const failed = c.targets.filter((t) => t.state === "failed").length;
  const state = failed ? "failed" : "completed";
  const error = failed ? `${failed} of ${c.targets.length} target key${c.targets.length === 1 ? "" : "s"} failed; each says why` : null;
  await run.write(async (w) => {
    await w.ceremony({ state, error, finishedAt: w.now });
    c.state = state;
    c.finishedAt = w.now;
    if (error) c.error = error;
    else delete c.error;
  });
}
