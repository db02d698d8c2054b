import { describe, expect, it } from "vitest";
import { CreateCeremonyRequestSchema, type BridgeWithStatus, type BridgeKeys } from "@keyward/shared";
import { fitToOffer, INITIAL_WIZARD, offer, validateWizard, type WizardContext, type WizardState } from "./wizard-model";

const bridge = (over: Partial<BridgeWithStatus["status"]> = {}): BridgeWithStatus => ({
  bridgeId: "hsm-1",
  url: "ws://127.0.0.1:7710/bridge",
  thumbprint: "t",
  publicJwk: { kty: "OKP", crv: "Ed25519", x: "x" },
  registeredAt: "2026-11-23T00:00:00Z",
  registeredBy: { id: "admin" },
  status: {
    bridgeId: "hsm-1",
    state: "online",
    checkedAt: "2026-11-23T00:00:00Z",
    preflight: {
      token: { label: "dev", manufacturer: "SoftHSM", model: "SoftHSM v2", serial: "1" },
      byokPath: "two-step",
      byokNote: "",
      generate: { rsa: [2048, 3072], ec: ["P-256", "P-384"], aes: [256] },
    },
    ...over,
  },
});

const tokenKeys: BridgeKeys["keys"] = [
  { label: "old-rsa", id: "01", spec: { kty: "RSA", size: 2048 }, extractable: true, sensitive: true, usable: true },
  { label: "stuck", id: "02", spec: { kty: "oct", size: 256 }, extractable: false, sensitive: true, usable: false },
];

const ctx = (over: Partial<WizardContext> = {}): WizardContext => ({ bridge: bridge(), tokenKeys, takenNames: [], kekVerdict: undefined, ...over });
const state = (over: Partial<WizardState> = {}): WizardState => ({ ...INITIAL_WIZARD, bridgeId: "hsm-1", kekName: "kek-1", namePattern: "payments", ...over });
const codes = (v: ReturnType<typeof validateWizard>) => Object.fromEntries(Object.entries(v.problems).map(([f, ps]) => [f, ps.map((p) => p.code)]));

describe("validateWizard", () => {
  it("builds a request the server's schema accepts for one generated key", () => {
    const v = validateWizard(state(), ctx());
    expect(v.problems).toEqual({});
    expect(v.request).toEqual({
      bridgeId: "hsm-1",
      mode: "online",
      kek: { kind: "create", name: "kek-1", size: 3072 },
      targets: [{ name: "payments", label: "payments", spec: { kty: "RSA", size: 3072 }, source: "generate" }],
    });
    expect(CreateCeremonyRequestSchema.safeParse(v.request).success).toBe(true);
  });

  it("expands a bulk pattern for names and labels", () => {
    const v = validateWizard(state({ count: 20, namePattern: "app-{n}", labelPattern: "hsm-app-{n:2}", kty: "EC", crv: "P-384" }), ctx());
    expect(v.request?.targets).toHaveLength(20);
    expect(v.request?.targets[19]).toEqual({ name: "app-20", label: "hsm-app-20", spec: { kty: "EC", crv: "P-384" }, source: "generate" });
  });

  it("refuses what the preflight says the token cannot generate, and offers only that", () => {
    expect(codes(validateWizard(state({ kty: "oct", aesSize: 128 }), ctx()))).toEqual({ spec: ["specUnsupported"] });
    expect(offer(bridge())).toEqual({ rsa: [2048, 3072], ec: ["P-256", "P-384"], aes: [256], fromPreflight: true });
    expect(offer(bridge({ state: "offline", preflight: undefined })).fromPreflight).toBe(false);
  });

  it("explains an unusable bridge online, but lets an air-gapped ceremony use an unreachable one", () => {
    const offline = bridge({ state: "offline", preflight: undefined });
    expect(codes(validateWizard(state(), ctx({ bridge: offline })))).toEqual({ bridge: ["bridgeNotOnline"] });
    expect(validateWizard(state({ mode: "air-gapped" }), ctx({ bridge: offline })).request?.mode).toBe("air-gapped");
    const noByok = bridge({ preflight: { ...bridge().status.preflight!, byokPath: null } });
    expect(codes(validateWizard(state(), ctx({ bridge: noByok })))).toEqual({ bridge: ["bridgeNoByok"] });
    expect(codes(validateWizard(state({ bridgeId: "" }), ctx({ bridge: undefined })))).toMatchObject({ bridge: ["bridgeMissing"] });
  });

  it("names bad, repeated and existing names, and bad or repeated labels", () => {
    expect(codes(validateWizard(state({ namePattern: "has space" }), ctx()))).toEqual({ names: ["nameInvalid"], labels: ["labelInvalid"] });
    expect(codes(validateWizard(state({ count: 2, namePattern: "app" }), ctx()))).toEqual({ names: ["pattern.noPlaceholder"] });
    expect(codes(validateWizard(state({ count: 3, namePattern: "a-{n}", labelPattern: "same" }), ctx()))).toEqual({ labels: ["pattern.noPlaceholder"] });
    expect(codes(validateWizard(state(), ctx({ takenNames: ["payments"] })))).toEqual({ names: ["nameTaken"] });
    expect(codes(validateWizard(state({ namePattern: "old-rsa" }), ctx()))).toEqual({ labels: ["labelOnToken"] });
  });

  it("checks the KEK: free name to create, a usable key to reuse, never one of the targets", () => {
    expect(codes(validateWizard(state({ kekName: "" }), ctx()))).toEqual({ kekName: ["nameEmpty"] });
    expect(codes(validateWizard(state({ kekName: "payments" }), ctx()))).toEqual({ kekName: ["kekIsTarget"] });
    expect(codes(validateWizard(state(), ctx({ takenNames: ["kek-1"] })))).toEqual({ kekName: ["kekTaken"] });
    expect(codes(validateWizard(state({ kekKind: "existing" }), ctx({ kekVerdict: "notImportOnly" })))).toEqual({ kekName: ["kek.notImportOnly"] });
    expect(validateWizard(state({ kekKind: "existing" }), ctx({ kekVerdict: undefined })).request).toBeUndefined();
    expect(validateWizard(state({ kekKind: "existing" }), ctx({ kekVerdict: "ok" })).request?.kek).toEqual({ kind: "existing", name: "kek-1" });
  });

  it("uses existing token keys with their own spec and refuses unknown or unusable ones", () => {
    const v = validateWizard(state({ source: "existing", existingLabels: ["old-rsa"], namePattern: "legacy" }), ctx());
    expect(v.request?.targets).toEqual([{ name: "legacy", label: "old-rsa", spec: { kty: "RSA", size: 2048 }, source: "existing" }]);
    expect(codes(validateWizard(state({ source: "existing", existingLabels: [] }), ctx()))).toEqual({ tokenKeys: ["tokenKeysNone"] });
    expect(codes(validateWizard(state({ source: "existing", existingLabels: ["stuck"] }), ctx()))).toEqual({ tokenKeys: ["tokenKeyUnusable"] });
    expect(codes(validateWizard(state({ source: "existing", existingLabels: ["gone"] }), ctx()))).toEqual({ tokenKeys: ["tokenKeyUnknown"] });
  });

  it("refuses a count outside 1–1024", () => {
    expect(codes(validateWizard(state({ count: 0, namePattern: "a-{n}" }), ctx()))).toEqual({ count: ["countRange"] });
    expect(codes(validateWizard(state({ count: 1025, namePattern: "a-{n}" }), ctx()))).toEqual({ count: ["countRange"] });
  });
});

describe("fitToOffer", () => {
  it("moves sizes and curves to ones the token offers and keeps offered ones", () => {
    const fitted = fitToOffer(state({ kty: "oct", rsaSize: 3072, crv: "P-256", aesSize: 256 }), { rsa: [2048], ec: ["P-384"], aes: [], fromPreflight: true });
    expect(fitted).toMatchObject({ kty: "RSA", rsaSize: 2048, crv: "P-384", aesSize: 256 });
    expect(fitToOffer(state({ kty: "EC", crv: "P-384" }), offer(bridge()))).toMatchObject({ kty: "EC", crv: "P-384", rsaSize: 3072 });
  });
});
