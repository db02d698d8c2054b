import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeKeysSchema, BridgeListSchema, BridgeSchema, BridgeStatusSchema } from "@keyward/shared";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { adminToken, errorOf, portalApi, registration, type PortalApi } from "./helpers/ceremony";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let bridge: TestBridge;
let other: TestBridge;
let admin: PortalApi;
let custodian: PortalApi;

beforeAll(async () => {
  t = await startTestTarget();
  const key = await loadOrCreateCommandKey(t.dataDir, "keyward-portal");
  [bridge, other] = await Promise.all([startTestBridge(key.publicJwk, "keyward-portal"), startTestBridge(key.publicJwk, "keyward-portal")]);
  admin = portalApi(t.origin, await adminToken(t));
  custodian = portalApi(t.origin, await t.token());
});
afterAll(async () => {
  await Promise.all([bridge?.stop(), other?.stop()]);
  await t?.close();
});

const listed = async () => BridgeListSchema.parse((await custodian.get("/bridges")).body).bridges.map((b) => b.bridgeId);

describe("registered bridges", () => {
  it("registers a bridge with the thumbprint the bridge printed, lists it online with its HSM preflight", async () => {
    const res = await admin.post("/bridges", registration(bridge, { description: "rack 2" }));
    expect(res.status).toBe(201);
    const registered = BridgeSchema.parse(res.body);
    expect(registered.thumbprint).toBe(bridge.endpoint.identity.kid);
    expect(registered.registeredBy.id).toBeTruthy();

    const list = BridgeListSchema.parse((await custodian.get("/bridges")).body);
    const [b] = list.bridges;
    expect(b?.status.state).toBe("online");
    expect(b?.status.preflight?.byokPath).toBe("two-step");
    expect(b?.status.preflight?.generate.rsa).toContain(3072);
    expect(b?.status.preflight?.token.label).toBe("keyward-dev");
  });

  it("lists the token's keys with public information only", async () => {
    await admin.post("/bridges", registration(bridge));
    const res = await custodian.get(`/bridges/${bridge.endpoint.bridgeId}/keys`);
    expect(res.status).toBe(200);
    expect(BridgeKeysSchema.parse(res.body).keys).toEqual([]);
    expect(res.text).not.toMatch(/PRIVATE KEY|"d":/);
  });

  it("shows a bridge that presents another identity than the registered one as a mismatch, and an absent one as offline", async () => {
    // `other` is also called bridge-e2e, with its own identity key: registered under the first one's URL it is an impostor.
    await admin.del(`/bridges/${bridge.endpoint.bridgeId}`);
    expect((await admin.post("/bridges", registration(bridge, { publicJwk: registration(other).publicJwk }))).status).toBe(201);
    const status = BridgeStatusSchema.parse((await custodian.get(`/bridges/${bridge.endpoint.bridgeId}/status?fresh=1`)).body);
    expect(status.state).toBe("identity-mismatch");
    expect(status.presentedThumbprint).toBe(bridge.endpoint.identity.kid);
    expect(status.message).toMatch(/not bridge-e2e with the registered identity/);

    await admin.del(`/bridges/${bridge.endpoint.bridgeId}`);
    expect((await admin.post("/bridges", registration(bridge, { url: "ws://127.0.0.1:9/bridge" }))).status).toBe(201);
    const offline = BridgeStatusSchema.parse((await custodian.get(`/bridges/${bridge.endpoint.bridgeId}/status?fresh=1`)).body);
    expect(offline.state).toBe("offline");
    expect(offline.message).toMatch(/cannot reach the bridge/);
    expect((await admin.del(`/bridges/${bridge.endpoint.bridgeId}`)).status).toBe(204);
    expect(await listed()).toEqual([]);
  });

  describe("refusals (each leaves the registry unchanged)", () => {
    const { publicKey: rsa } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsaJwk = rsa.export({ format: "jwk" });
    const { privateKey: ed } = generateKeyPairSync("ed25519");
    const privateJwk = ed.export({ format: "jwk" });
    const cases: [string, (b: TestBridge) => unknown, RegExp][] = [
      ["an http URL", (b) => registration(b, { url: "http://127.0.0.1:7710/bridge" }), /url: the bridge URL must be a ws:\/\/ or wss:\/\//],
      ["a URL that is no URL", (b) => registration(b, { url: "bridge on rack 2" }), /url: the bridge URL must be/],
      ["a bridge id with spaces", (b) => registration(b, { bridgeId: "rack 2" }), /bridgeId: bridgeId is 1–64 letters/],
      ["an RSA key", (b) => ({ ...registration(b), publicJwk: rsaJwk }), /must be an Ed25519 public key \(kty OKP\)/],
      ["a malformed Ed25519 key", (b) => ({ ...registration(b), publicJwk: { kty: "OKP", crv: "Ed25519", x: "short" } }), /x must be the 32-byte Ed25519 public key/],
      ["a private key", (b) => ({ ...registration(b), publicJwk: privateJwk }), /this is a private key; register the bridge's public key only/],
      ["a kid that is not the thumbprint", (b) => registration(b, { publicJwk: { ...registration(b).publicJwk, kid: "not-the-thumbprint" } }), /is not its thumbprint/],
      ["no body", () => "", /the request needs a JSON body|the request body is not valid JSON/],
    ];
    for (const [what, body, message] of cases) {
      it(`refuses ${what} with a 400 in words`, async () => {
        const res = await admin.post("/bridges", body(bridge));
        expect(res.status).toBe(400);
        expect(errorOf(res)?.message).toMatch(message);
        expect(await listed()).toEqual([]);
      });
    }

    it("refuses a duplicate bridge id with a 409 and keeps the first registration", async () => {
      expect((await admin.post("/bridges", registration(bridge))).status).toBe(201);
      const res = await admin.post("/bridges", registration(other, { url: "ws://127.0.0.1:9/bridge" }));
      expect(res.status).toBe(409);
      expect(errorOf(res)?.message).toMatch(/a bridge with the id bridge-e2e is already registered/);
      const list = BridgeListSchema.parse((await custodian.get("/bridges")).body);
      expect(list.bridges.map((b) => [b.bridgeId, b.url, b.thumbprint])).toEqual([["bridge-e2e", bridge.endpoint.url, bridge.endpoint.identity.kid]]);
      await admin.del("/bridges/bridge-e2e");
    });

    it("refuses a custodian who is not an administrator: 403 naming the permission, nothing registered or removed", async () => {
      const res = await custodian.post("/bridges", registration(bridge));
      expect(res.status).toBe(403);
      expect(errorOf(res)?.message).toMatch(/does not have Microsoft\.KeyVault\/managedHsm\/roleAssignments\/write\/action permission on scope '\/'/);
      expect(await listed()).toEqual([]);
      await admin.post("/bridges", registration(bridge));
      expect((await custodian.del("/bridges/bridge-e2e")).status).toBe(403);
      expect(await listed()).toEqual(["bridge-e2e"]);
      await admin.del("/bridges/bridge-e2e");
    });

    it("answers an unknown bridge with a 404 in words", async () => {
      const res = await custodian.get("/bridges/nobody/status");
      expect(res.status).toBe(404);
      expect(errorOf(res)?.message).toBe('no bridge with the id "nobody" is registered');
      expect((await admin.del("/bridges/nobody")).status).toBe(404);
    });
  });
});
