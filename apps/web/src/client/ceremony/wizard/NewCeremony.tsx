"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { KeyNameSchema } from "@keyward/shared";
import { useBridgeKeys, useBridges } from "../../bridges/queries";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { kms } from "../../i18n/messages/kms";
import { KmsImportForm } from "../../kms-import/NewKmsImport";
import { useCreateCeremony } from "../queries";
import { fieldOfError, type FieldRule } from "../server-field";
import { useExistingKek, useKeyNames, useNamesTaken, MAX_NAMES_CHECKED } from "../target-keys";
import { useDebounced } from "../useDebounced";
import { fitToOffer, INITIAL_WIZARD, offer, validateWizard, type Field, type WizardState } from "../wizard-model";
import { parseWizardKind, WIZARD_KIND_PARAM, wizardKindSearch, type WizardKind } from "../wizard-kind";
import { BridgeSection } from "./BridgeSection";
import { KekSection } from "./KekSection";
import { KindSection } from "./KindSection";
import { ModeSection } from "./ModeSection";
import { ReviewSection } from "./ReviewSection";
import { WizardHeading } from "./Section";
import { TargetsSection } from "./TargetsSection";

/** Which field a changed setting belongs to: its problems show once it has been touched (or on Start). */
const FIELD_OF: Record<keyof WizardState, Field | undefined> = {
  bridgeId: "bridge",
  mode: "bridge",
  kekKind: "kekName",
  kekName: "kekName",
  kekSize: undefined,
  source: "tokenKeys",
  kty: "spec",
  rsaSize: "spec",
  crv: "spec",
  aesSize: "spec",
  count: "count",
  namePattern: "names",
  labelPattern: "labels",
  existingLabels: "tokenKeys",
};

/** The server answers without a field pointer: schema refusals carry their path, the runner's name what they refuse. */
const SERVER_FIELDS: readonly FieldRule<Field>[] = [
  ["kekName", /^kek\b|\bKEK\b/],
  ["spec", /^targets\.\d+\.spec|cannot generate|\bcurve\b|key size/i],
  ["labels", /^targets\.\d+\.label|\blabel/i],
  ["count", /^targets: |at (most|least) \d* ?target/],
  ["names", /^targets|\bname/i],
  ["bridge", /^bridgeId|\bbridge\b/i],
];

/** The finer codes the ceremony planner gives its refusals. */
const SERVER_INNER: Readonly<Record<string, Field>> = {
  BridgeNotRegistered: "bridge",
  BridgeCannotWrap: "bridge",
  BridgeOffline: "bridge",
  BridgeIdentityMismatch: "bridge",
  BridgeIncompatible: "bridge",
  KekNotFound: "kekName",
  KekInvalid: "kekName",
  KekNotImportOnly: "kekName",
  KekNotUsable: "kekName",
};

const CHECK_DELAY_MS = 400;

/**
 * `/ceremonies/new`: first the target kind — Key Vault / Managed HSM (.byok), or a KMS key-material
 * import — kept in the URL (`?kind=kms-import`, replaced in place: a reload or the way back finds it
 * again), then that kind's form. Needs a Suspense boundary above it (it reads the search parameters).
 */
export function NewCeremony() {
  const t = useT(ceremony);
  const tk = useT(kms);
  const fromUrl = parseWizardKind(useSearchParams().get(WIZARD_KIND_PARAM));
  // Shown at once on a click; Next.js then brings useSearchParams in step with the History API
  // (without a round trip to the server), and a reload or the way back reads it from the URL.
  const [kind, setKind] = useState(fromUrl);
  useEffect(() => setKind(fromUrl), [fromUrl]);
  const choose = (next: WizardKind) => {
    setKind(next);
    window.history.replaceState(null, "", `${window.location.pathname}${wizardKindSearch(window.location.search, next)}`);
  };
  return (
    <div className="space-y-4">
      <WizardHeading title={t("wizard.title")} intro={kind === "kms-import" ? tk("wizard.intro") : t("wizard.intro")} />
      <KindSection kind={kind} onChange={choose} />
      {kind === "kms-import" ? <KmsImportForm /> : <ByokCeremonyForm />}
    </div>
  );
}

/** Every choice of a Key Vault / Managed HSM ceremony, validated as it is typed, then started on the server. */
function ByokCeremonyForm() {
  const router = useRouter();
  const bridges = useBridges();
  const create = useCreateCeremony();
  const [s, setS] = useState<WizardState>(INITIAL_WIZARD);
  const [touched, setTouched] = useState<ReadonlySet<Field>>(new Set());
  const [submitted, setSubmitted] = useState(false);

  const bridge = bridges.data?.bridges.find((b) => b.bridgeId === s.bridgeId);
  const o = offer(bridge);
  const set = (patch: Partial<WizardState>) => {
    setS((prev) => {
      const next = { ...prev, ...patch };
      return patch.bridgeId !== undefined ? fitToOffer(next, offer(bridges.data?.bridges.find((b) => b.bridgeId === patch.bridgeId))) : next;
    });
    setTouched((prev) => new Set([...prev, ...Object.keys(patch).flatMap((k) => FIELD_OF[k as keyof WizardState] ?? [])]));
    if (create.error) create.reset();
  };

  const tokenKeys = useBridgeKeys(s.source === "existing" && s.bridgeId ? s.bridgeId : undefined);

  // First pass: the names the choices make, to look them up in the target once typing settles.
  const draft = validateWizard(s, { bridge, tokenKeys: tokenKeys.data?.keys, takenNames: [], kekVerdict: undefined });
  const kekName = s.kekName.trim();
  const kekNameValid = KeyNameSchema.safeParse(kekName).success;
  // Joined into one string so that the debounce and the lookups see a change only when a name changes.
  const toCheck = [...(s.kekKind === "create" && kekNameValid ? [kekName] : []), ...draft.targets.map((x) => x.name).filter((n) => KeyNameSchema.safeParse(n).success)].join("\n");
  const settled = useDebounced(toCheck, CHECK_DELAY_MS);
  const names = useNamesTaken(useMemo(() => (settled ? settled.split("\n") : []), [settled]));
  const kek = useExistingKek(useDebounced(s.kekKind === "existing" && kekNameValid ? kekName : undefined, CHECK_DELAY_MS));
  const suggestions = useKeyNames();

  const v = validateWizard(s, { bridge, tokenKeys: tokenKeys.data?.keys, takenNames: names.taken, kekVerdict: kek.data });
  const visible = (f: Field) => (submitted || touched.has(f) ? v.problems[f] : undefined);

  const serverField = fieldOfError(create.error, SERVER_FIELDS, SERVER_INNER);
  const serverFieldShown = serverField === "labels" && s.source === "existing" ? "tokenKeys" : serverField;
  const serverErrors: Partial<Record<Field, unknown>> = serverFieldShown ? { [serverFieldShown]: create.error } : {};

  const start = (request: NonNullable<typeof v.request>) => create.mutate(request, { onSuccess: (c) => router.push(`/ceremonies/${encodeURIComponent(c.id)}`) });
  // Start pressed while a lookup (names in the target, the bridge's token keys) is still on its way:
  // start as soon as it settles without a problem, instead of dropping the click.
  const [startWhenChecked, setStartWhenChecked] = useState(false);
  const hasProblems = Object.keys(v.problems).length > 0;
  useEffect(() => {
    if (!startWhenChecked) return;
    if (hasProblems) setStartWhenChecked(false);
    else if (v.request) {
      setStartWhenChecked(false);
      start(v.request);
    }
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (v.request) start(v.request);
    else if (!hasProblems) setStartWhenChecked(true);
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" data-testid="ceremony-wizard">
      <BridgeSection
        bridges={bridges.data?.bridges}
        loading={bridges.isPending}
        error={bridges.error}
        retry={() => void bridges.refetch()}
        value={s.bridgeId}
        mode={s.mode}
        onChange={(bridgeId) => set({ bridgeId })}
        problems={visible("bridge")}
        serverError={serverErrors.bridge}
      />
      <KekSection
        state={s}
        set={set}
        problems={visible("kekName")}
        serverError={serverErrors.kekName}
        verdict={{ checking: kek.isFetching, value: kek.data }}
        suggestions={suggestions.data ?? []}
      />
      <TargetsSection
        state={s}
        set={set}
        offer={o}
        problems={Object.fromEntries((["spec", "count", "names", "labels", "tokenKeys"] as const).map((f) => [f, visible(f)]))}
        serverErrors={serverErrors}
        tokenKeys={{ data: tokenKeys.data?.keys, loading: tokenKeys.isFetching && !tokenKeys.data, error: tokenKeys.error, bridgeChosen: s.bridgeId !== "" }}
        targets={v.targets}
        namesCheck={{ checking: names.checking, partial: names.partial, checkedCount: MAX_NAMES_CHECKED }}
      />
      <ModeSection mode={s.mode} onChange={(mode) => set({ mode })} />
      <ReviewSection
        state={s}
        count={v.targets.length}
        ready={v.request !== undefined}
        submitted={submitted}
        pending={create.isPending || startWhenChecked}
        error={create.error && !serverField ? create.error : undefined}
      />
      {create.error && serverField ? <ErrorNotice error={create.error} /> : null}
    </form>
  );
}
