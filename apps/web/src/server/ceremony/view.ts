import { MAX_BATCH_TARGETS, describeKeySpec, emptyProgress, type AirGappedStep, type Ceremony, type CeremonyProgress, type CeremonySummary, type TargetState } from "@keyward/shared";
import { principalRef } from "../bridges/registry";
import { nextWrapBatch, pendingGeneration } from "./steps";
import type { CeremonyRecord, CommandRecord, CommandStep, TargetRecord } from "./store";

const iso = (ms: number) => new Date(ms).toISOString();

export function progressOf(total: number, counts: Partial<Record<TargetState, number>>): CeremonyProgress {
  const p = emptyProgress(total);
  p.pending = counts.pending ?? 0;
  p.generated = counts.generated ?? 0;
  p.wrapped = counts.wrapped ?? 0;
  p.imported = counts.imported ?? 0;
  p.proven = counts.proven ?? 0;
  p.failed = counts.failed ?? 0;
  return p;
}

function countStates(targets: readonly TargetRecord[]): Partial<Record<TargetState, number>> {
  const counts: Partial<Record<TargetState, number>> = {};
  for (const t of targets) counts[t.state] = (counts[t.state] ?? 0) + 1;
  return counts;
}

/** The next file an air-gapped ceremony needs: one generation per file, then the wrap batches. */
export interface FilePlan {
  step: CommandStep;
  targets: TargetRecord[];
  file: number;
  files: number;
  description: string;
}

export function nextFile(c: CeremonyRecord): FilePlan | undefined {
  const generated = c.targets.filter((t) => t.source === "generate");
  const pending = pendingGeneration(c);
  const first = pending[0];
  if (first) {
    return {
      step: "generate",
      targets: [first],
      file: generated.length - pending.length + 1,
      files: generated.length,
      description: `generate ${first.label} (${describeKeySpec(first.spec)}) in the HSM`,
    };
  }
  const batch = nextWrapBatch(c);
  if (!batch.length) return undefined;
  const done = c.targets.filter((t) => t.state === "wrapped" || t.state === "imported" || t.state === "proven").length;
  const file = Math.ceil(done / MAX_BATCH_TARGETS) + 1;
  const remaining = Math.ceil(c.targets.filter((t) => t.state !== "failed").length / MAX_BATCH_TARGETS);
  return { step: "wrap", targets: batch, file, files: Math.max(file, remaining), description: `wrap ${batch.length} key${batch.length === 1 ? "" : "s"} for the KEK ${c.kek.name}` };
}

function airGappedOf(c: CeremonyRecord, latest: CommandRecord | undefined): AirGappedStep | undefined {
  if (c.state !== "awaiting-file") return undefined;
  const plan = nextFile(c);
  if (!plan) return undefined;
  return {
    step: plan.step,
    file: plan.file,
    files: plan.files,
    description: plan.description,
    ...(latest && latest.step === plan.step ? { expiresAt: iso(latest.expiresAt) } : {}),
  };
}

function common(c: CeremonyRecord, progress: CeremonyProgress, latest: CommandRecord | undefined): CeremonySummary {
  const airGapped = airGappedOf(c, latest);
  return {
    id: c.id,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    ...(c.finishedAt === undefined ? {} : { finishedAt: iso(c.finishedAt) }),
    createdBy: principalRef(c.principal),
    bridge: { bridgeId: c.bridge.bridgeId, url: c.bridge.url, thumbprint: c.bridge.thumbprint },
    mode: c.mode,
    kek: { name: c.kek.name, ...(c.kek.size ? { size: c.kek.size } : {}), created: c.kek.created, ...(c.kek.kid ? { kid: c.kek.kid } : {}) },
    state: c.state,
    ...(c.error === undefined ? {} : { error: c.error }),
    progress,
    ...(airGapped ? { airGapped } : {}),
  };
}

/** The record as the API shows it: states, hashes and proofs — never a `.byok` body. */
export function toCeremony(c: CeremonyRecord, latest?: CommandRecord): Ceremony {
  return {
    ...common(c, progressOf(c.targets.length, countStates(c.targets)), latest),
    targets: c.targets.map((t) => ({
      name: t.name,
      label: t.label,
      spec: t.spec,
      source: t.source,
      state: t.state,
      ...(t.error === undefined ? {} : { error: t.error }),
      ...(t.byokSha256 === undefined ? {} : { byokSha256: t.byokSha256 }),
      ...(t.kid === undefined ? {} : { kid: t.kid }),
      ...(t.proof === undefined ? {} : { proof: t.proof }),
      updatedAt: iso(t.updatedAt),
    })),
  };
}

export function toSummary(c: CeremonyRecord, counts: Partial<Record<TargetState, number>>): CeremonySummary {
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return common(c, progressOf(total, counts), undefined);
}
