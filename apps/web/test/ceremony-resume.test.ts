import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CeremonySchema } from "@keyward/shared";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { TargetOps } from "../src/server/ceremony/target-ops";
import { openDb } from "../src/server/store";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { adminToken, errorOf, portalApi, registration, restartBridge, settled, waitForCeremony, type PortalApi } from "./helpers/ceremony";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let bridge: TestBridge;
let stopRestarted: (() => Promise<void>) | undefined;

beforeAll(async () => {
  t = await startTestTarget();
  bridge = await startTestBridge((await loadOrCreateCommandKey(t.dataDir, "keyward-portal")).publicJwk, "keyward-portal");
  expect((await portalApi(t.origin, await adminToken(t)).post("/bridges", registration(bridge))).status).toBe(201);
});
afterAll(async () => {
  if (stopRestarted) await stopRestarted();
  else if (bridge && bridge.process.exitCode === null && bridge.process.signalCode === null) await bridge.stop();
  await t?.close();
});

const commandStates = async (tt: TestTarget, id: string) =>
  (await tt.portal.target.db.query<{ step: string; state: string }>("SELECT step, state FROM ceremony_commands WHERE ceremony_id = $1 ORDER BY created_at", [id])).rows;

const targets = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i}`, spec: { kty: "RSA", size: 3072 } as const, source: "generate" as const }));

describe("ceremonies survive the portal and the bridge going away", () => {
  it("resumes on the next start a ceremony whose portal stopped with a command in flight: fetched by jti, never resent", async () => {
    let api: PortalApi = portalApi(t.origin, await t.token());
    const res = await api.post("/ceremonies", { bridgeId: "bridge-e2e", mode: "online", kek: { kind: "create", name: "kek-resume", size: 2048 }, targets: targets("resume", 3) });
    expect(res.status).toBe(202);
    const id = CeremonySchema.parse(res.body).id;
    // Stop the portal once a key is generated and the next generation has been sent, before it is answered.
    for (let i = 0; ; i++) {
      const states = await commandStates(t, id);
      if (states.some((s) => s.state === "answered") && states.some((s) => s.state === "sent")) break;
      if (i > 600) throw new Error(`no command in flight: ${JSON.stringify(states)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const dataDir = t.dataDir;
    await t.close();

    const db = await openDb({ dataDir: join(dataDir, "db") });
    const left = (await db.query<{ state: string; targets: string }>("SELECT c.state, (SELECT string_agg(state, ',' ORDER BY seq) FROM ceremony_targets WHERE ceremony_id = c.id) AS targets FROM ceremonies c WHERE id = $1", [id])).rows[0];
    const inFlight = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ceremony_commands WHERE ceremony_id = $1 AND state = 'sent'", [id])).rows[0];
    await db.close();
    expect(left?.state).toBe("running");
    expect(inFlight?.n).toBe(1);
    expect(left?.targets).not.toMatch(/wrapped|proven/);

    t = await startTestTarget({ dataDir });
    api = portalApi(t.origin, await t.token());
    const done = await waitForCeremony(api, id, settled);
    expect([done.state, done.error, done.targets.map((x) => x.error).filter(Boolean)]).toEqual(["completed", undefined, []]);
    expect(done.progress.proven).toBe(3);
    // One command per generation and one wrap, all answered: nothing was sent twice (a resend is refused as a replay).
    expect(await commandStates(t, id)).toEqual([...Array(3).fill({ step: "generate", state: "answered" }), { step: "wrap", state: "answered" }]);

    // A key the ceremony already imported is found by its ceremony tag, not imported again.
    const ops = new TargetOps(t.portal.target.ctx, t.origin);
    const principal = { id: "not-used-for-lookups", kind: "app" as const, issuer: "", subject: "", groups: [] };
    await expect(ops.importByok(principal, "resume-0", { kty: "RSA", size: 3072 }, "not a .byok", id)).rejects.toMatchObject({ code: "Forbidden" });
    const custodian = { ...principal, id: done.createdBy.id };
    expect(await ops.importByok(custodian, "resume-0", { kty: "RSA", size: 3072 }, "not a .byok", id)).toBe(done.targets[0]?.kid);
    const versions = await t.portal.target.ctx.store.listVersions("resume-0", { limit: 25, continuation: null });
    expect(versions.items).toHaveLength(1);
  });

  it("marks a ceremony interrupted in words when its bridge goes away, and resumes it on request", async () => {
    const api = portalApi(t.origin, await t.token());
    const res = await api.post("/ceremonies", { bridgeId: "bridge-e2e", mode: "online", kek: { kind: "create", name: "kek-interrupted", size: 2048 }, targets: targets("interrupted", 2) });
    const id = CeremonySchema.parse(res.body).id;
    await waitForCeremony(api, id, (c) => c.progress.generated >= 1 || settled(c));
    await bridge.stop();
    const interrupted = await waitForCeremony(api, id, settled);
    expect(interrupted.state).toBe("interrupted");
    expect(interrupted.error).toMatch(/resume when the bridge is back/);

    stopRestarted = await restartBridge(bridge);
    expect((await api.post(`/ceremonies/${id}/resume`)).status).toBe(202);
    const done = await waitForCeremony(api, id, settled);
    expect([done.state, done.error, done.targets.map((x) => x.state)]).toEqual(["completed", undefined, ["proven", "proven"]]);
    const again = await api.post(`/ceremonies/${id}/resume`);
    expect(again.status).toBe(409);
    expect(errorOf(again)?.message).toMatch(/is completed; only an interrupted ceremony can be resumed/);
  });
});
