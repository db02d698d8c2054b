import {
  AES_SIZES,
  EC_CURVES,
  KeyNameSchema,
  MAX_CEREMONY_TARGETS,
  RSA_SIZES,
  TokenLabelSchema,
  type AesSize,
  type BridgeKeys,
  type BridgeWithStatus,
  type CeremonyMode,
  type CreateCeremonyRequest,
  type EcCurve,
  type KeySpec,
  type RsaSize,
  type TargetSource,
} from "@keyward/shared";
import { duplicates, expandPattern, type PatternProblem } from "./name-pattern";
import type { KekVerdict } from "./target-keys";

/** Everything the custodian chose, as typed: validated on every change, turned into a request only when sound. */
export interface WizardState {
  bridgeId: string;
  mode: CeremonyMode;
  kekKind: "create" | "existing";
  kekName: string;
  kekSize: RsaSize;
  source: TargetSource;
  kty: KeySpec["kty"];
  rsaSize: RsaSize;
  crv: EcCurve;
  aesSize: AesSize;
  /** How many keys to generate (1 = a single key; more = bulk). */
  count: number;
  namePattern: string;
  /** Empty: each HSM label is the key's name. */
  labelPattern: string;
  /** Existing token keys, by label, in the order they will be named. */
  existingLabels: string[];
}

export const INITIAL_WIZARD: WizardState = {
  bridgeId: "",
  mode: "online",
  kekKind: "create",
  kekName: "",
  kekSize: 3072,
  source: "generate",
  kty: "RSA",
  rsaSize: 3072,
  crv: "P-256",
  aesSize: 256,
  count: 1,
  namePattern: "",
  labelPattern: "",
  existingLabels: [],
};

export type Field = "bridge" | "kekName" | "spec" | "count" | "names" | "labels" | "tokenKeys";

export type ProblemCode =
  | "bridgeMissing"
  | "bridgeNotOnline"
  | "bridgeNoByok"
  | "nameEmpty"
  | "nameInvalid"
  | "nameDuplicate"
  | "nameTaken"
  | "labelInvalid"
  | "labelDuplicate"
  | "labelOnToken"
  | "kekTaken"
  | "kekIsTarget"
  | `kek.${Exclude<KekVerdict, "ok">}`
  | "specUnsupported"
  | "countRange"
  | "tokenKeysNone"
  | "tokenKeyUnknown"
  | "tokenKeyUnusable"
  | `pattern.${PatternProblem}`;

export interface Problem {
  code: ProblemCode;
  vars?: Record<string, string | number>;
}

/** What the wizard knows besides the form: the chosen bridge, its token keys, and checks against the target. */
export interface WizardContext {
  bridge: BridgeWithStatus | undefined;
  tokenKeys: BridgeKeys["keys"] | undefined;
  /** Target names (keys and KEK) found to exist already. */
  takenNames: readonly string[];
  /** For an existing KEK: the verdict of looking it up, once known. */
  kekVerdict: KekVerdict | undefined;
}

export interface Offer {
  rsa: readonly RsaSize[];
  ec: readonly EcCurve[];
  aes: readonly AesSize[];
  /** False when nothing says what the token can generate (air-gapped bridge not reachable from here). */
  fromPreflight: boolean;
}

/** Only what the bridge's preflight says the token can generate; everything when no preflight is known. */
export function offer(bridge: BridgeWithStatus | undefined): Offer {
  const g = bridge?.status.preflight?.generate;
  return g ? { rsa: g.rsa, ec: g.ec, aes: g.aes, fromPreflight: true } : { rsa: RSA_SIZES, ec: EC_CURVES, aes: AES_SIZES, fromPreflight: false };
}

export function chosenSpec(s: WizardState): KeySpec {
  if (s.kty === "RSA") return { kty: "RSA", size: s.rsaSize };
  if (s.kty === "EC") return { kty: "EC", crv: s.crv };
  return { kty: "oct", size: s.aesSize };
}

function specOffered(spec: KeySpec, o: Offer): boolean {
  if (spec.kty === "RSA") return o.rsa.includes(spec.size);
  if (spec.kty === "EC") return o.ec.includes(spec.crv);
  return o.aes.includes(spec.size);
}

/** Whether a ceremony in `mode` can use this bridge now; air-gapped ceremonies never reach it. */
export function bridgeProblem(bridge: BridgeWithStatus | undefined, mode: CeremonyMode): Problem | undefined {
  if (!bridge) return { code: "bridgeMissing" };
  if (mode === "air-gapped") return bridge.status.preflight?.byokPath === null ? { code: "bridgeNoByok" } : undefined;
  if (bridge.status.state !== "online") return { code: "bridgeNotOnline", vars: { state: bridge.status.state } };
  if (!bridge.status.preflight?.byokPath) return { code: "bridgeNoByok" };
  return undefined;
}

function patternNames(pattern: string, count: number, problems: Problem[]): string[] | undefined {
  const r = expandPattern(pattern, count);
  if (r.ok) return r.names;
  problems.push({ code: r.problem === "empty" ? "nameEmpty" : `pattern.${r.problem}` });
  return undefined;
}

export interface Validation {
  problems: Partial<Record<Field, Problem[]>>;
  /** The targets as they will be sent (for the preview), when the names could be made. */
  targets: CreateCeremonyRequest["targets"];
  /** Present only when nothing is wrong. */
  request: CreateCeremonyRequest | undefined;
}

/** Check everything as the custodian types, with the server's rules; the server checks again on start. */
export function validateWizard(s: WizardState, ctx: WizardContext): Validation {
  const problems: Partial<Record<Field, Problem[]>> = {};
  const add = (field: Field, p: Problem) => (problems[field] ??= []).push(p);
  const taken = new Set(ctx.takenNames);

  const bp = bridgeProblem(ctx.bridge, s.mode);
  if (bp) add("bridge", bp);

  const o = offer(ctx.bridge);
  const tokenByLabel = new Map((ctx.tokenKeys ?? []).map((k) => [k.label, k]));

  // Which token keys (existing) or how many new ones (generate), and with which spec each.
  let specs: KeySpec[] = [];
  let labels: string[] | undefined;
  if (s.source === "generate") {
    const spec = chosenSpec(s);
    if (!specOffered(spec, o)) add("spec", { code: "specUnsupported" });
    if (!Number.isInteger(s.count) || s.count < 1 || s.count > MAX_CEREMONY_TARGETS) add("count", { code: "countRange", vars: { max: MAX_CEREMONY_TARGETS } });
    else specs = Array.from({ length: s.count }, () => spec);
  } else {
    if (s.existingLabels.length === 0) add("tokenKeys", { code: "tokenKeysNone" });
    if (s.existingLabels.length > MAX_CEREMONY_TARGETS) add("count", { code: "countRange", vars: { max: MAX_CEREMONY_TARGETS } });
    labels = s.existingLabels;
    specs = s.existingLabels.map((label) => {
      const k = tokenByLabel.get(label);
      if (ctx.tokenKeys && !k) add("tokenKeys", { code: "tokenKeyUnknown", vars: { label } });
      else if (k && (!k.usable || !k.spec)) add("tokenKeys", { code: "tokenKeyUnusable", vars: { label } });
      return k?.spec ?? chosenSpec(s);
    });
  }

  const nameProblems: Problem[] = [];
  const names = specs.length ? patternNames(s.namePattern, specs.length, nameProblems) : [];
  nameProblems.forEach((p) => add("names", p));
  if (names) {
    const bad = names.find((n) => !KeyNameSchema.safeParse(n).success);
    if (bad !== undefined) add("names", { code: "nameInvalid", vars: { name: bad } });
    const twice = duplicates(names);
    if (twice.length) add("names", { code: "nameDuplicate", vars: { names: twice.slice(0, 5).join(", ") } });
    const exist = names.filter((n) => taken.has(n));
    if (exist.length) add("names", { code: "nameTaken", vars: { names: exist.slice(0, 5).join(", ") } });
  }

  if (s.source === "generate" && names) {
    const labelProblems: Problem[] = [];
    labels = s.labelPattern.trim() ? patternNames(s.labelPattern, names.length, labelProblems) : names;
    labelProblems.forEach((p) => add("labels", p));
    const onToken = (labels ?? []).filter((l) => tokenByLabel.has(l));
    if (onToken.length) add("labels", { code: "labelOnToken", vars: { labels: onToken.slice(0, 5).join(", ") } });
  }
  if (labels) {
    const bad = labels.find((l) => !TokenLabelSchema.safeParse(l).success);
    if (bad !== undefined) add("labels", { code: "labelInvalid", vars: { label: bad } });
    const twice = duplicates(labels);
    if (twice.length) add(s.source === "generate" ? "labels" : "tokenKeys", { code: "labelDuplicate", vars: { labels: twice.slice(0, 5).join(", ") } });
  }

  const kekName = s.kekName.trim();
  if (!kekName) add("kekName", { code: "nameEmpty" });
  else if (!KeyNameSchema.safeParse(kekName).success) add("kekName", { code: "nameInvalid", vars: { name: kekName } });
  else if (names?.includes(kekName)) add("kekName", { code: "kekIsTarget" });
  else if (s.kekKind === "create" && taken.has(kekName)) add("kekName", { code: "kekTaken" });
  else if (s.kekKind === "existing" && ctx.kekVerdict && ctx.kekVerdict !== "ok") add("kekName", { code: `kek.${ctx.kekVerdict}` });

  const targets =
    names && labels && names.length === labels.length && names.length === specs.length
      ? names.map((name, i) => ({ name, label: labels[i] ?? name, spec: specs[i] ?? chosenSpec(s), source: s.source }))
      : [];
  const sound = Object.keys(problems).length === 0 && targets.length > 0 && (s.kekKind === "create" || ctx.kekVerdict === "ok");
  const request: CreateCeremonyRequest | undefined = sound
    ? {
        bridgeId: s.bridgeId,
        mode: s.mode,
        kek: s.kekKind === "create" ? { kind: "create", name: kekName, size: s.kekSize } : { kind: "existing", name: kekName },
        targets,
      }
    : undefined;
  return { problems, targets, request };
}

/** Keep the chosen type on sizes/curves the token offers (after a bridge change), so nothing unsupported stays selected unseen. */
export function fitToOffer(s: WizardState, o: Offer): WizardState {
  const pick = <T,>(current: T, offered: readonly T[]) => (offered.includes(current) ? current : (offered[0] ?? current));
  const familyOk = { RSA: o.rsa.length > 0, EC: o.ec.length > 0, oct: o.aes.length > 0 };
  const kty = familyOk[s.kty] ? s.kty : ((["RSA", "EC", "oct"] as const).find((k) => familyOk[k]) ?? s.kty);
  return { ...s, kty, rsaSize: pick(s.rsaSize, o.rsa), crv: pick(s.crv, o.ec), aesSize: pick(s.aesSize, o.aes) };
}
