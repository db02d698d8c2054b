import { describe, expect, it } from "vitest";
import { kmsKeyState, kmsTime, requireEnabled } from "./keys.js";

describe("KMS key state", () => {
  it("is PendingImport without material or once the material has expired", () => {
    expect(kmsKeyState({ hasMaterial: false, materialExpire: null }, 100)).toBe("PendingImport");
    expect(kmsKeyState({ hasMaterial: true, materialExpire: null }, 100)).toBe("Enabled");
    expect(kmsKeyState({ hasMaterial: true, materialExpire: 101 }, 100)).toBe("Enabled");
    expect(kmsKeyState({ hasMaterial: true, materialExpire: 100 }, 100)).toBe("PendingImport");
    expect(() => requireEnabled("PendingImport")).toThrow(expect.objectContaining({ code: "Rejected.PendingImport" }));
    expect(kmsTime(1_767_225_600)).toBe("2026-01-01T00:00:00Z");
  });
});
