import { KeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CeremonySchema, signCommand, type Ceremony } from "@keyward/shared";
import { loadOrCreateCommandKey, type CommandKey } from "../src/server/bridge/command-key";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { adminToken, errorOf, execOnBridge, portalApi, registration, settled, waitForCeremony, type PortalApi } from "./helpers/ceremony";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let bridge: TestBridge;
let stranger: TestBridge;
let custodian: PortalApi;
let commandKey: CommandKey;

beforeAll(async () => {
  t = await startTestTarget();
  commandKey = await loadOrCreateCommandKey(t.dataDir, "keyward-portal");
  [bridge, stranger] = await Promise.all([startTestBridge(commandKey.publicJwk, "keyward-portal"), startTestBridge(commandKey.publicJwk, "keyward-portal")]);
  // Air-gapped: the bridges' hosts are offline; only `keyward-bridge exec` runs there.
  await Promise.all([bridge.stop(), stranger.stop()]);
  const admin = portalApi(t.origin, await adminToken(t));
  expect((await admin.post("/bridges", registration(bridge))).status).toBe(201);
  custodian = portalApi(t.origin, await t.token());
});
afterAll(async () => t?.close());

const get = async (id: string) => CeremonySchema.parse((await custodian.get(`/ceremonies/${id}`)).body);
const download = async (id: string) => {
  const res = await custodian.get(`/ceremonies/${id}/command-file`);
  expect(res.status).toBe(200);
  return res;
};
const upload = (id: string, result: string) => custodian.post(`/ceremonies/${id}/result-file`, { result });
const unchanged = (c: Ceremony) => ({ state: c.state, airGapped: c.airGapped?.file, targets: c.targets.map((x) => x.state) });

describe("air-gapped BYOK ceremony: signed command files out, signed result files in", () => {
  it("generates and wraps through files run with keyward-bridge exec, then imports and proves; bad result files change nothing", async () => {
    const res = await custodian.post("/ceremonies", {
      bridgeId: "bridge-e2e",
      mode: "air-gapped",
      kek: { kind: "create", name: "kek-air", size: 2048 },
      targets: [
        { name: "air-rsa", spec: { kty: "RSA", size: 2048 }, source: "generate" },
        { name: "air-aes", spec: { kty: "oct", size: 256 }, source: "generate" },
      ],
    });
    expect(res.status).toBe(202);
    const id = CeremonySchema.parse(res.body).id;
    let c = await waitForCeremony(custodian, id, (x) => x.state !== "running");
    expect(c.state).toBe("awaiting-file");
    expect(c.kek.kid).toMatch(/\/keys\/kek-air\/[0-9a-f]{32}$/);
    expect(c.airGapped).toMatchObject({ step: "generate", file: 1, files: 2, description: "generate air-rsa (RSA-2048) in the HSM" });

    const first = await download(id);
    expect(first.headers.get("content-type")).toBe("application/jose");
    expect(first.headers.get("content-disposition")).toBe(`attachment; filename="keyward-${id}-generate-1-of-2.jws"`);
    expect((await download(id)).text).toBe(first.text); // the same file while it is valid
    expect((await get(id)).airGapped?.expiresAt).toBeDefined();

    // A result from a bridge with another identity (same id) is refused; nothing changes.
    const foreignSigner = execOnBridge(stranger, first.text);
    expect(foreignSigner.status).toBe(0);
    const before = unchanged(await get(id));
    let refused = await upload(id, foreignSigner.result);
    expect(refused.status).toBe(400);
    expect(errorOf(refused)?.message).toMatch(/does not verify as signed by bridge bridge-e2e \(identity [A-Za-z0-9_-]+\) for the command it names \(UNKNOWN_SIGNER\); nothing was applied/);
    expect(unchanged(await get(id))).toEqual(before);

    const generated = execOnBridge(bridge, first.text);
    expect(generated.stderr).toMatch(/key\.generate: done/);
    // Tampered: one character of the signed body changed.
    const [h, p, s] = generated.result.trim().split(".");
    const tampered = `${h}.${(p ?? "").slice(0, 40)}${(p ?? "").at(40) === "A" ? "B" : "A"}${(p ?? "").slice(41)}.${s}`;
    refused = await upload(id, tampered);
    expect(refused.status).toBe(400);
    expect(unchanged(await get(id))).toEqual(before);
    refused = await upload(id, "not a result");
    expect(refused.status).toBe(400);
    expect(errorOf(refused)?.message).toMatch(/the result file is not a signed result/);

    // A genuine result of another command (signed by the portal, run by the right bridge) answers nothing here.
    const other = await signCommand({ type: "hsm.describe" }, commandKey.signer, { audience: "bridge-e2e" });
    refused = await upload(id, execOnBridge(bridge, other).result);
    expect(refused.status).toBe(400);
    expect(errorOf(refused)?.message).toMatch(/does not answer any command file of ceremony/);
    expect(unchanged(await get(id))).toEqual(before);

    let applied = await upload(id, generated.result);
    expect(applied.status).toBe(200);
    c = CeremonySchema.parse(applied.body);
    expect(c.targets.map((x) => x.state)).toEqual(["generated", "pending"]);
    expect(c.airGapped).toMatchObject({ step: "generate", file: 2, files: 2 });
    refused = await upload(id, generated.result);
    expect(refused.status).toBe(400);
    expect(errorOf(refused)?.message).toMatch(/this result file was already applied/);

    applied = await upload(id, execOnBridge(bridge, (await download(id)).text).result);
    c = CeremonySchema.parse(applied.body);
    expect(c.airGapped).toMatchObject({ step: "wrap", file: 1, files: 1, description: "wrap 2 keys for the KEK kek-air" });

    const wrapFile = await download(id);
    expect(wrapFile.headers.get("content-disposition")).toBe(`attachment; filename="keyward-${id}-wrap-1-of-1.jws"`);
    applied = await upload(id, execOnBridge(bridge, wrapFile.text).result);
    expect(applied.status).toBe(200);
    expect(applied.text).not.toMatch(/"byok"|key_hsm/);

    c = await waitForCeremony(custodian, id, settled);
    expect([c.state, c.error, c.targets.map((x) => x.error).filter(Boolean)]).toEqual(["completed", undefined, []]);
    expect(c.targets.map((x) => x.proof)).toEqual(["RS256 signature from the target verifies with the HSM's public key", expect.stringMatching(/^KCV [0-9a-f]{6} matches the HSM's$/)]);
    expect((await new KeyClient(t.origin, t.credential, { disableChallengeResourceVerification: true }).getKey("air-aes")).keyType).toBe("oct-HSM");

    const done = await custodian.get(`/ceremonies/${id}/command-file`);
    expect(done.status).toBe(409);
    expect(errorOf(done)?.message).toMatch(/is completed; it is not waiting for a file/);
  });

  it("answers the command file of an unknown ceremony with a 404", async () => {
    expect((await custodian.get("/ceremonies/cer_missing000000000000/command-file")).status).toBe(404);
  });
});
