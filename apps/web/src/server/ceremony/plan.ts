import { randomBytes } from "node:crypto";
import { TargetError, describeKeySpec, type Bridge, type CreateCeremonyRequest, type DescribeResult, type KeySpec, type TokenKey } from "@keyward/shared";
import type { Principal } from "../auth/principal";
import type { BridgeRegistry } from "../bridges/registry";
import type { BridgeStatusService } from "../bridges/status";
import type { CeremonyRecord, KekRecord, TargetRecord } from "./store";
import type { TargetOps } from "./target-ops";

export interface PlanDeps {
  registry: BridgeRegistry;
  status: BridgeStatusService;
  ops: TargetOps;
}

/** Sortable by creation, unguessable: `cer_` + time + randomness. */
export function newCeremonyId(now = Date.now()): string {
  return `cer_${now.toString(36).padStart(9, "0")}${randomBytes(10).toString("hex")}`;
}

const bad = (problems: string[], inner: string) => new TargetError("BadParameter", problems.join("; "), inner);

function canGenerate(spec: KeySpec, d: DescribeResult): boolean {
  if (spec.kty === "RSA") return d.generate.rsa.includes(spec.size);
  if (spec.kty === "EC") return d.generate.ec.includes(spec.crv);
  return d.generate.aes.includes(spec.size);
}

/** Names and labels: unique within the ceremony (key names compare case-insensitively, as Key Vault's do). */
function checkUnique(req: CreateCeremonyRequest): string[] {
  const problems: string[] = [];
  const names = new Set<string>([req.kek.name.toLowerCase()]);
  const labels = new Set<string>();
  for (const t of req.targets) {
    const label = t.label ?? t.name;
    if (names.has(t.name.toLowerCase())) problems.push(t.name.toLowerCase() === req.kek.name.toLowerCase() ? `target ${t.name} has the KEK's name` : `target name ${t.name} appears twice`);
    if (labels.has(label)) problems.push(`HSM label ${label} appears twice`);
    names.add(t.name.toLowerCase());
    labels.add(label);
  }
  return problems;
}

/** Free in the target: neither a live key nor a soft-deleted one (whose name stays taken until purged). */
async function nameProblem(ops: TargetOps, name: string, what: string): Promise<string | undefined> {
  if (await ops.find(name)) return `${what} ${name} already exists in the target`;
  if (await ops.isDeleted(name)) return `${what} ${name} is a soft-deleted key in the target; purge or recover it first`;
  return undefined;
}

/** Online: the bridge answers with its registered identity, its token can wrap, and each target fits the token. */
async function checkToken(status: BridgeStatusService, bridge: Bridge, req: CreateCeremonyRequest): Promise<void> {
  const { described, keys } = await status.ask(bridge, async (client) => ({ described: await client.run({ type: "hsm.describe" }), keys: (await client.run({ type: "key.list" })).keys }));
  if (described.byok.path === null) throw bad([`the token of bridge ${bridge.bridgeId} cannot wrap for BYOK: ${described.byok.note}`], "BridgeCannotWrap");
  const byLabel = new Map<string, TokenKey>(keys.map((k) => [k.label, k]));
  const problems: string[] = [];
  for (const t of req.targets) {
    const label = t.label ?? t.name;
    const onToken = byLabel.get(label);
    if (t.source === "generate") {
      if (!canGenerate(t.spec, described)) problems.push(`the token cannot generate ${describeKeySpec(t.spec)} (target ${t.name})`);
      if (onToken) problems.push(`the HSM label ${label} is already taken on the token; pick another label or use the existing key`);
    } else if (!onToken) problems.push(`the token holds no key labelled ${label} (target ${t.name})`);
    else if (!onToken.spec || describeKeySpec(onToken.spec) !== describeKeySpec(t.spec)) {
      problems.push(`the token key ${label} is ${onToken.spec ? describeKeySpec(onToken.spec) : "of a type Keyward does not import"}, not ${describeKeySpec(t.spec)}`);
    } else if (!onToken.extractable) problems.push(`the token key ${label} is not extractable, so it cannot leave the HSM even wrapped`);
  }
  if (problems.length) throw bad(problems, "TargetsInvalid");
}

/**
 * Validate everything a ceremony needs before anything is written, and return its record. Refusals:
 * 400 with every problem found in words, 403 when the principal may not create the KEK or import a
 * target, 503 when an online ceremony's bridge cannot be reached.
 */
export async function planCeremony(deps: PlanDeps, req: CreateCeremonyRequest, principal: Principal, now = Date.now()): Promise<CeremonyRecord> {
  const bridge = await deps.registry.find(req.bridgeId);
  if (!bridge) throw bad([`no bridge with the id ${req.bridgeId} is registered`], "BridgeNotRegistered");
  const unique = checkUnique(req);
  if (unique.length) throw bad(unique, "TargetsInvalid");

  if (req.kek.kind === "create") await deps.ops.authorize(principal, "createKey", req.kek.name);
  for (const t of req.targets) await deps.ops.authorize(principal, "importKey", t.name);

  const problems: string[] = [];
  let kek: KekRecord;
  if (req.kek.kind === "create") {
    const p = await nameProblem(deps.ops, req.kek.name, "the KEK name");
    if (p) problems.push(`${p}; pick it as an existing KEK instead, or another name`);
    kek = { name: req.kek.name, size: req.kek.size, created: true };
  } else {
    const bundle = await deps.ops.find(req.kek.name);
    if (!bundle) throw bad([`no key named ${req.kek.name} exists in the target to serve as the KEK`], "KekNotFound");
    const resolved = deps.ops.kekOf(bundle, req.kek.name);
    kek = { name: req.kek.name, size: resolved.size, created: false, kid: resolved.kid };
  }
  for (const t of req.targets) {
    const p = await nameProblem(deps.ops, t.name, "target");
    if (p) problems.push(p);
  }
  if (problems.length) throw bad(problems, "TargetsInvalid");
  if (req.mode === "online") await checkToken(deps.status, bridge, req);

  const targets: TargetRecord[] = req.targets.map((t, seq) => ({ seq, name: t.name, label: t.label ?? t.name, spec: t.spec, source: t.source, state: "pending", updatedAt: now }));
  return {
    id: newCeremonyId(now),
    createdAt: now,
    updatedAt: now,
    principal,
    bridge: { bridgeId: bridge.bridgeId, url: bridge.url, thumbprint: bridge.thumbprint, publicJwk: bridge.publicJwk },
    mode: req.mode,
    kek,
    state: "running",
    targets,
  };
}
