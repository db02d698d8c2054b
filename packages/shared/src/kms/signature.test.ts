import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rpcCanonicalQuery, rpcPercentEncode, rpcStringToSign } from "./signature.js";
import vectors from "./test-vectors/rpc-signature.json" with { type: "json" };

// Signatures computed by the official client's own signer (@alicloud/rpc-util getSignatureV1).
describe("RPC signature v1 string-to-sign", () => {
  it.each(vectors.map((v, i) => [i, v] as const))("reproduces the official client's signature %i", (_i, v) => {
    const hmac = createHmac("sha1", `${v.secret}&`).update(rpcStringToSign(v.method, v.params as Record<string, string>)).digest("base64");
    expect(hmac).toBe(v.signature);
  });

  it("encodes as RFC 3986: space as %20, ~ kept, !'()* escaped, UTF-8 bytes", () => {
    expect(rpcPercentEncode("a b~c!'()*/é")).toBe("a%20b~c%21%27%28%29%2A%2F%C3%A9");
  });

  it("sorts by name and leaves the Signature out", () => {
    expect(rpcCanonicalQuery({ b: "2", Signature: "x", a: "1", A: "0" })).toBe("A=0&a=1&b=2");
  });
});
