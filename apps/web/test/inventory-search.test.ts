import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyExpiriesSchema, KeySearchResultSchema, KeyVaultErrorBodySchema } from "@keyward/shared";
import type { NewKey } from "../src/server/store";
import { ecKey, octKey, rsaKey } from "../src/server/store/test-support/fixtures";
import { startTestTarget, type TestTarget } from "./helpers/target";

/**
 * The inventory's search over HTTP against a real portal: what each parameter does, that every bad
 * parameter is refused by name, who may search, and that soft-deleted keys never appear.
 */

const DAY = 86_400;
let clock = Math.floor(Date.now() / 1000);
let t: TestTarget;
let token: string;

const rsa = (name: string, over: Partial<NewKey> = {}) => rsaKey(name, { origin: "byok-imported", ...over });

beforeAll(async () => {
  // The target's clock only: tokens are issued and checked on real time, keys get distinct created times.
  t = await startTestTarget({ now: () => clock });
  token = await t.token();
  const store = t.portal.target.ctx.store;
  for (let i = 0; i < 24; i++) {
    await store.createKey(rsa(`bulk-${String(i).padStart(2, "0")}`, { exp: clock + (i + 1) * 10 * DAY, tags: { batch: i % 2 ? "odd" : "even" } }));
    clock += 1;
  }
  await store.createKey(ecKey("Edge-EC", { publicJwk: { crv: "P-384", x: "AA", y: "AA" }, origin: "generated", enabled: false }));
  clock += 1;
  await store.createKey(octKey("edge-aes", { exp: clock - DAY }));
  clock += 1;
  await store.createKey(rsa("doomed", { exp: clock + DAY }));
  clock += 1;
}, 60_000);
afterAll(async () => t.close());

const get = (path: string, bearer = token) => fetch(`${t.origin}/portal-api${path}`, { headers: { authorization: `Bearer ${bearer}` } });
async function search(params = "") {
  const res = await get(`/keys${params ? `?${params}` : ""}`);
  expect(res.status).toBe(200);
  return KeySearchResultSchema.parse(await res.json());
}

describe("GET /portal-api/keys", () => {
  it("answers the first page of live keys by name, with the total, the type's size or curve, and the latest version's kid", async () => {
    const r = await search();
    expect(r).toMatchObject({ total: 27, page: 1, pageSize: 50 });
    expect(r.items.map((i) => i.name).slice(0, 3)).toEqual(["bulk-00", "bulk-01", "bulk-02"]);
    const ec = r.items.find((i) => i.name === "Edge-EC");
    expect(ec).toMatchObject({ kty: "EC-HSM", crv: "P-384", size: null, enabled: false, origin: "generated", managed: false, nbf: null, exp: null });
    expect(r.items.find((i) => i.name === "bulk-00")).toMatchObject({ kty: "RSA-HSM", size: 2048, crv: null, tags: { batch: "even" } });
    expect(r.items.find((i) => i.name === "edge-aes")).toMatchObject({ size: null, crv: null });
    expect(ec?.kid).toMatch(new RegExp(`^${t.origin}/keys/Edge-EC/[0-9a-f]{32}$`));
  });

  it("combines filters, sorts and pages on the server", async () => {
    expect((await search("q=EDGE")).items.map((i) => i.name)).toEqual(["edge-aes", "Edge-EC"]);
    expect((await search("type=EC")).items.map((i) => i.name)).toEqual(["Edge-EC"]);
    expect((await search("enabled=false")).total).toBe(1);
    expect((await search("origin=generated&sort=name&dir=desc")).items.map((i) => i.name)).toEqual(["Edge-EC", "edge-aes"]);
    const odd = await search("tag=batch=odd&sort=expires&dir=desc&pageSize=5&page=2");
    expect(odd).toMatchObject({ total: 12, page: 2, pageSize: 5 });
    expect(odd.items.map((i) => i.name)).toEqual(["bulk-13", "bulk-11", "bulk-09", "bulk-07", "bulk-05"]);
    // bulk-00 expires in 10 days, bulk-01 in 20, "doomed" in 1; edge-aes has already expired.
    expect((await search("expiringWithinDays=20&sort=expires")).items.map((i) => i.name)).toEqual(["doomed", "bulk-00", "bulk-01"]);
    const created = await search("sort=created&dir=desc&pageSize=2");
    expect(created.items.map((i) => i.name)).toEqual(["doomed", "edge-aes"]);
  });

  it("walks every page without repeats or gaps", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 6; page++) seen.push(...(await search(`pageSize=5&page=${page}&sort=updated`)).items.map((i) => i.name));
    expect(seen).toHaveLength(27);
    expect(new Set(seen).size).toBe(27);
  });

  it.each([
    ["q", "q=no%20spaces", /^q "no spaces" cannot match a key name/],
    ["q", `q=${"a".repeat(128)}`, /^q is 128 characters/],
    ["type", "type=DES", /^type "DES" is not one of RSA, RSA-HSM, EC, EC-HSM, oct, oct-HSM/],
    ["enabled", "enabled=yes", /^enabled "yes" is not one of true, false/],
    ["expiringWithinDays", "expiringWithinDays=-1", /^expiringWithinDays must be a whole number from 0 to 36500; got "-1"/],
    ["tag", "tag=%3Dprod", /^tag needs a name/],
    ["origin", "origin=stolen", /^origin "stolen" is not one of generated, byok-imported, imported, restored/],
    ["sort", "sort=size", /^sort "size" is not one of name, created, updated, expires/],
    ["dir", "dir=up", /^dir "up" is not one of asc, desc/],
    ["page", "page=0", /^page must be a whole number from 1/],
    ["pageSize", "pageSize=201", /^pageSize must be a whole number from 1 to 200; got "201"/],
    ["an unknown parameter", "pagesize=10", /^unknown parameter "pagesize"; use q, type/],
    ["a repeated parameter", "q=a&q=b", /^q is given more than once/],
  ])("refuses a bad %s with 400 BadParameter naming it", async (_label, params, message) => {
    const res = await get(`/keys?${params}`);
    expect(res.status).toBe(400);
    const body = KeyVaultErrorBodySchema.parse(await res.json());
    expect(body.error).toMatchObject({ code: "BadParameter", innererror: { code: "InvalidSearchParameter" } });
    expect(body.error.message).toMatch(message);
  });

  it("refuses a principal without keys/read with 403 in words, and a caller without a token with 401", async () => {
    const cred = await t.principalWithRoles("inventory-nobody", []);
    const res = await get("/keys", (await cred.getToken("https://managedhsm.azure.net/.default"))?.token ?? "");
    expect(res.status).toBe(403);
    expect(KeyVaultErrorBodySchema.parse(await res.json()).error).toMatchObject({ code: "Forbidden", message: expect.stringMatching(/keys\/read\/action/) });
    expect((await fetch(`${t.origin}/portal-api/keys`)).status).toBe(401);
  });

  it("stops listing a key once it is soft-deleted through the Key Vault API", async () => {
    const before = await search("q=doomed");
    expect(before.total).toBe(1);
    const del = await fetch(`${t.origin}/keys/doomed?api-version=7.5`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(del.status).toBe(200);
    expect(await search("q=doomed")).toMatchObject({ total: 0, items: [] });
    expect((await search()).total).toBe(26);
    expect((await search("tag=batch")).total).toBe(24);
  });
});

describe("GET /portal-api/keys/expiries", () => {
  it("lists keys expiring in the window, the expired one first, with the server's clock", async () => {
    const res = await get("/keys/expiries?days=25");
    expect(res.status).toBe(200);
    const body = KeyExpiriesSchema.parse(await res.json());
    expect(body).toMatchObject({ now: clock, days: 25, truncated: false });
    expect(body.items.map((i) => i.name)).toEqual(["edge-aes", "bulk-00", "bulk-01"]);
    expect(body.total).toBe(3);
  });

  it.each([
    ["days=0", /^days must be a whole number from 1 to 3650; got "0"/],
    ["days=soon", /^days must be a whole number/],
    ["window=30", /^unknown parameter "window"; use days/],
  ])("refuses %s with 400 naming the parameter", async (params, message) => {
    const res = await get(`/keys/expiries?${params}`);
    expect(res.status).toBe(400);
    expect(KeyVaultErrorBodySchema.parse(await res.json()).error.message).toMatch(message);
  });
});
