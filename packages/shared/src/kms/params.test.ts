import { describe, expect, it } from "vitest";
import { CreateKeyParamsSchema, ImportKeyMaterialParamsSchema, ListKeysParamsSchema, parseEncryptionContext, parseKmsParams } from "./params.js";
import { kmsRefusal } from "./test-vectors/refusal.js";

function refusal(fn: () => unknown): string {
  const r = kmsRefusal(fn);
  return r === "accepted" ? r : `${r.code}: ${r.message}`;
}

describe("KMS action parameters", () => {
  it("applies the cloud's defaults and treats empty values as absent", () => {
    expect(parseKmsParams(CreateKeyParamsSchema, { Origin: "EXTERNAL", Description: "" })).toEqual({
      KeySpec: "Aliyun_AES_256",
      KeyUsage: "ENCRYPT/DECRYPT",
      Origin: "EXTERNAL",
      ProtectionLevel: "SOFTWARE",
      Description: "",
      EnableAutomaticRotation: "false",
    });
    expect(parseKmsParams(ListKeysParamsSchema, { PageSize: "" })).toEqual({ PageNumber: 1, PageSize: 10 });
  });

  it("names the missing or invalid parameter in the cloud's words", () => {
    expect(refusal(() => parseKmsParams(ImportKeyMaterialParamsSchema, { KeyId: "k", ImportToken: "t" }))).toBe(
      'MissingParameter: The parameter "EncryptedKeyMaterial" is needed but not provided.',
    );
    expect(refusal(() => parseKmsParams(ImportKeyMaterialParamsSchema, { KeyId: "k", ImportToken: "t", EncryptedKeyMaterial: "not base64!" }))).toMatch(
      /^InvalidParameter: The specified parameter "EncryptedKeyMaterial" is not valid\./,
    );
    expect(refusal(() => parseKmsParams(CreateKeyParamsSchema, { Origin: "external" }))).toMatch(/^InvalidParameter: .*"Origin"/);
    expect(refusal(() => parseKmsParams(ListKeysParamsSchema, { PageSize: "101" }))).toMatch(/"PageSize"/);
    expect(refusal(() => parseKmsParams(ImportKeyMaterialParamsSchema, { KeyId: "k", ImportToken: "t", EncryptedKeyMaterial: "AA==", KeyMaterialExpireUnix: "-1" }))).toMatch(
      /"KeyMaterialExpireUnix"/,
    );
  });

  it("reads an encryption context as JSON or as flattened entries, not both", () => {
    expect(parseEncryptionContext({ EncryptionContext: '{"a":"1"}' })).toEqual({ a: "1" });
    expect(parseEncryptionContext({ "EncryptionContext.a": "1", KeyId: "k" })).toEqual({ a: "1" });
    expect(parseEncryptionContext({})).toEqual({});
    expect(refusal(() => parseEncryptionContext({ EncryptionContext: "[1]" }))).toMatch(/^InvalidParameter/);
    expect(refusal(() => parseEncryptionContext({ EncryptionContext: '{"a":"1"}', "EncryptionContext.b": "2" }))).toMatch(/^InvalidParameter/);
  });
});
