import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { parseIdentity } from "./identity-input";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const pub = publicKey.export({ format: "jwk" }) as { kty: string; crv: string; x: string };

describe("parseIdentity", () => {
  it("accepts a bare public JWK and computes its RFC 7638 thumbprint", async () => {
    const r = await parseIdentity(JSON.stringify(pub));
    expect(r).toEqual({ ok: true, jwk: { kty: "OKP", crv: "Ed25519", x: pub.x }, thumbprint: await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: pub.x }) });
  });

  it("accepts the output of `keyward-bridge identity` and takes the bridge id from it", async () => {
    const r = await parseIdentity(JSON.stringify({ bridgeId: "hsm-1", thumbprint: "ignored", publicJwk: { ...pub, kid: "k" } }, null, 2));
    expect(r.ok && r.bridgeId).toBe("hsm-1");
    expect(r.ok && r.printedThumbprint).toBe("ignored");
    expect(r.ok && r.jwk).toEqual({ kty: "OKP", crv: "Ed25519", x: pub.x });
  });

  it("refuses text that is not JSON, keys that are not Ed25519, and any private JWK", async () => {
    expect(await parseIdentity("not json")).toEqual({ ok: false, problem: "notJson" });
    expect(await parseIdentity(JSON.stringify({ kty: "EC", crv: "P-256", x: "a", y: "b" }))).toEqual({ ok: false, problem: "notEd25519" });
    expect(await parseIdentity(JSON.stringify({ ...pub, x: "short" }))).toEqual({ ok: false, problem: "notEd25519" });
    expect(await parseIdentity(JSON.stringify(privateKey.export({ format: "jwk" })))).toEqual({ ok: false, problem: "privateKey" });
  });
});
