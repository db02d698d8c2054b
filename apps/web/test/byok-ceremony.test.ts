import { KeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeClient } from "../src/server/bridge/client";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { runByokCeremony, type CeremonyStep } from "../src/server/ceremony/byok";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let bridge: TestBridge;
let client: BridgeClient;
const options = { disableChallengeResourceVerification: true };

beforeAll(async () => {
  t = await startTestTarget();
  const commandKey = await loadOrCreateCommandKey(t.dataDir, "keyward-portal");
  bridge = await startTestBridge(commandKey.publicJwk, "keyward-portal");
  client = await BridgeClient.connect(bridge.endpoint, commandKey.signer);
});
afterAll(async () => {
  client?.close();
  await bridge?.stop();
  await t?.close();
});

describe("BYOK ceremony on the embedded defaults: local target + bridge on SoftHSM2", () => {
  it("imports RSA, EC and AES keys generated in the HSM, and proves they are the HSM's keys", async () => {
    const keys = new KeyClient(t.origin, t.credential, options);
    const steps: CeremonyStep[] = [];
    const { kekKid, results } = await runByokCeremony({
      keys,
      credential: t.credential,
      clientOptions: options,
      bridge: client,
      kekName: "ceremony-kek",
      targets: [
        { name: "byok-rsa", label: "byok-rsa", spec: { kty: "RSA", size: 3072 } },
        { name: "byok-ec", label: "byok-ec", spec: { kty: "EC", crv: "P-256K" } },
        { name: "byok-aes", label: "byok-aes", spec: { kty: "oct", size: 256 } },
      ],
      onStep: (s) => steps.push(s),
    });
    expect(kekKid).toMatch(/\/keys\/ceremony-kek\/[0-9a-f]{32}$/);
    expect(results.map((r) => r.proof)).toEqual([
      "RS256 signature from the target verifies with the HSM's public key",
      "ES256K signature from the target verifies with the HSM's public key",
      expect.stringMatching(/^KCV [0-9a-f]{6} matches the HSM's$/),
    ]);
    expect(steps.filter((s) => s.step === "proven")).toHaveLength(3);
    const rsa = await keys.getKey("byok-rsa");
    expect(rsa.keyType).toBe("RSA-HSM");
    expect(rsa.properties.hsmPlatform).toBe("0");

    // The KEK can do nothing but import.
    const kek = await keys.getKey("ceremony-kek");
    expect(kek.keyOperations).toEqual(["import"]);
    const res = await fetch(`${kekKid}/decrypt?api-version=7.6`, {
      method: "POST",
      headers: { authorization: `Bearer ${await t.token()}`, "content-type": "application/json" },
      body: JSON.stringify({ alg: "RSA-OAEP", value: "AAAA" }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "Forbidden", innererror: { code: "KeyOperationNotPermitted" } } });
  });
});
