import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KmsError, rpcStringToSign } from "@keyward/shared";
import vectors from "../../../../../packages/shared/src/kms/test-vectors/rpc-signature.json" with { type: "json" };
import { RpcSignatureVerifier, TIMESTAMP_WINDOW_MS } from "./signature";

const vector = vectors[0]! as { params: Record<string, string> & { AccessKeyId: string; Timestamp: string }; secret: string; signature: string };
const KEY = { accessKeyId: vector.params.AccessKeyId, accessKeySecret: vector.secret, accountId: "1234567890123456" };
const AT = Date.parse(vector.params.Timestamp);

/** Re-sign after changing parameters, as a client would. */
function signed(params: Record<string, string>, method = "POST"): Record<string, string> {
  const rest = Object.fromEntries(Object.entries(params).filter(([name]) => name !== "Signature"));
  return { ...rest, Signature: createHmac("sha1", `${KEY.accessKeySecret}&`).update(rpcStringToSign(method, rest)).digest("base64") };
}

function code(verifier: RpcSignatureVerifier, params: Record<string, string>, method = "POST"): string {
  try {
    verifier.verify({ method, params });
  } catch (err) {
    if (err instanceof KmsError) return err.code;
    throw err;
  }
  return "accepted";
}

describe("RPC signature v1 verification", () => {
  const request: Record<string, string> = { ...vector.params, Signature: vector.signature };

  it("accepts the official client's signature once per nonce", () => {
    const verifier = new RpcSignatureVerifier(KEY, () => AT);
    expect(code(verifier, request)).toBe("accepted");
    expect(code(verifier, request)).toBe("SignatureNonceUsed");
  });

  it("checks the timestamp against a 15-minute window of the wall clock", () => {
    expect(code(new RpcSignatureVerifier(KEY, () => AT + TIMESTAMP_WINDOW_MS), request)).toBe("accepted");
    expect(code(new RpcSignatureVerifier(KEY, () => AT - TIMESTAMP_WINDOW_MS - 1000), request)).toBe("InvalidTimeStamp.Expired");
    expect(code(new RpcSignatureVerifier(KEY, () => AT), signed({ ...request, Timestamp: "2026-01-01 00:00:00" }))).toBe("IllegalTimestamp");
    expect(code(new RpcSignatureVerifier(KEY, () => AT), signed({ ...request, Timestamp: "" }))).toBe("IllegalTimestamp");
  });

  it.each([
    ["a changed parameter", { ...request, KeyId: "other" }, "SignatureDoesNotMatch"],
    ["a signature that is not base64 of 20 bytes", { ...request, Signature: "AAAA" }, "SignatureDoesNotMatch"],
    ["another AccessKeyId", signed({ ...request, AccessKeyId: "someone" }), "InvalidAccessKeyId.NotFound"],
    ["HMAC-SHA256", signed({ ...request, SignatureMethod: "HMAC-SHA256" }), "IncompleteSignature"],
    ["signature version 2.0", signed({ ...request, SignatureVersion: "2.0" }), "IncompleteSignature"],
    ["an STS token", signed({ ...request, SecurityToken: "sts" }), "InvalidParameter"],
    ["no nonce", signed({ ...request, SignatureNonce: "" }), "MissingParameter"],
    ["no signature", { ...request, Signature: "" }, "MissingParameter"],
  ])("refuses %s", (_label, params, expected) => {
    expect(code(new RpcSignatureVerifier(KEY, () => AT), params)).toBe(expected);
  });

  it("signs the method: a POST signature does not pass as GET", () => {
    expect(code(new RpcSignatureVerifier(KEY, () => AT), request, "GET")).toBe("SignatureDoesNotMatch");
  });
});
