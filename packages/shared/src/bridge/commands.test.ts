import { describe, expect, it } from "vitest";
import { BRIDGE_COMMAND_TYPES } from "./commands.js";
import { BridgeError } from "./errors.js";
import { parseCommand } from "./verify.js";

const wrap = { type: "kms.wrapMaterial", target: "aes-1", wrappingPublicKey: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", algorithm: "RSAES_OAEP_SHA_1" };

function refusal(cmd: unknown): { code: string; message: string } {
  try {
    parseCommand(cmd);
  } catch (err) {
    if (err instanceof BridgeError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("accepted");
}

describe("kms.wrapMaterial", () => {
  it("is a command type of the protocol", () => {
    expect(BRIDGE_COMMAND_TYPES).toContain("kms.wrapMaterial");
    expect(parseCommand(wrap)).toEqual(wrap);
    expect(parseCommand({ ...wrap, algorithm: "RSA_AES_KEY_WRAP_SHA_256" })).toMatchObject({ algorithm: "RSA_AES_KEY_WRAP_SHA_256" });
  });

  it("refuses RSAES_PKCS1_V1_5 without the explicit opt-in, and takes it with it", () => {
    for (const cmd of [{ ...wrap, algorithm: "RSAES_PKCS1_V1_5" }, { ...wrap, algorithm: "RSAES_PKCS1_V1_5", allowDeprecatedPkcs1: false }]) {
      const r = refusal(cmd);
      expect(r.code).toBe("INVALID_COMMAND");
      expect(r.message).toMatch(/allowDeprecatedPkcs1: RSAES_PKCS1_V1_5 is deprecated/);
    }
    expect(parseCommand({ ...wrap, algorithm: "RSAES_PKCS1_V1_5", allowDeprecatedPkcs1: true })).toMatchObject({ allowDeprecatedPkcs1: true });
  });

  it("refuses an unknown algorithm, a key that is not base64 and extra fields", () => {
    expect(refusal({ ...wrap, algorithm: "RSAES_OAEP_SHA_512" }).code).toBe("INVALID_COMMAND");
    expect(refusal({ ...wrap, wrappingPublicKey: "-----BEGIN PUBLIC KEY-----" }).code).toBe("INVALID_COMMAND");
    expect(refusal({ ...wrap, extra: 1 }).code).toBe("INVALID_COMMAND");
  });
});
