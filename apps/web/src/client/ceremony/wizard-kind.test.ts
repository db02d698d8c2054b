import { describe, expect, it } from "vitest";
import { parseWizardKind, wizardKindSearch } from "./wizard-kind";

describe("parseWizardKind", () => {
  it.each([
    ["kms-import", "kms-import"],
    ["byok", "byok"],
    [null, "byok"],
    [undefined, "byok"],
    ["", "byok"],
    ["KMS-IMPORT", "byok"],
    ["kms", "byok"],
    ["constructor", "byok"],
  ] as const)("%j → %s", (value, kind) => {
    expect(parseWizardKind(value)).toBe(kind);
  });
});

describe("wizardKindSearch", () => {
  it("names a kind other than the default", () => {
    expect(wizardKindSearch("", "kms-import")).toBe("?kind=kms-import");
    expect(wizardKindSearch("?kind=byok", "kms-import")).toBe("?kind=kms-import");
  });

  it("leaves the default kind out of the URL", () => {
    expect(wizardKindSearch("?kind=kms-import", "byok")).toBe("");
    expect(wizardKindSearch("", "byok")).toBe("");
  });

  it("keeps the other parameters", () => {
    expect(wizardKindSearch(new URLSearchParams("a=1&kind=kms-import"), "byok")).toBe("?a=1");
    expect(wizardKindSearch("?a=1", "kms-import")).toBe("?a=1&kind=kms-import");
  });

  it("reads back as the kind it wrote", () => {
    for (const kind of ["byok", "kms-import"] as const) expect(parseWizardKind(new URLSearchParams(wizardKindSearch("", kind)).get("kind"))).toBe(kind);
  });
});
