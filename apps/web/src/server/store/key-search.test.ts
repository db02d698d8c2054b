import { KEY_SEARCH_DEFAULTS, type KeySearchQuery } from "@keyward/shared";
import { describe, expect, it } from "vitest";
import { keyExpiries, searchKeys } from "./key-search";
import { BACKENDS } from "./test-support/backends";
import { T0, ecKey, octKey, rsaKey } from "./test-support/fixtures";
import { useStore } from "./test-support/harness";

const DAY = 86_400;
const query = (q: Partial<KeySearchQuery> = {}): KeySearchQuery => ({ ...KEY_SEARCH_DEFAULTS, ...q });

describe.each(BACKENDS)("key search on $name", ({ open }) => {
  const h = useStore(open);

  /** Six keys created a minute apart (so created/updated differ), one soft-deleted. */
  async function seed() {
    const make = [
      rsaKey("Alpha-Payments", { exp: T0 + 10 * DAY, tags: { env: "prod", team: "pay" } }),
      rsaKey("beta-soft", { kty: "RSA", enabled: false, tags: { env: "test" } }),
      ecKey("gamma-ec", { exp: T0 + 40 * DAY, tags: { env: "prod" } }),
      octKey("delta-aes", { exp: T0 - DAY, origin: "imported" }),
      rsaKey("epsilon-restored", { origin: "restored", exp: T0 + 5 * DAY }),
      rsaKey("zeta-gone", { exp: T0 + 2 * DAY, tags: { env: "prod" } }),
    ];
    for (const key of make) {
      await h.store.createKey(key);
      h.clock.advance(60);
    }
    await h.store.deleteKey("zeta-gone");
  }
  const names = async (q: Partial<KeySearchQuery>) => (await searchKeys(h.db, query(q), h.clock.now())).rows.map((r) => r.name);

  it("lists live keys by name with an exact total; soft-deleted keys are absent from both", async () => {
    await seed();
    const all = await searchKeys(h.db, query(), h.clock.now());
    expect(all.rows.map((r) => r.name)).toEqual(["Alpha-Payments", "beta-soft", "delta-aes", "epsilon-restored", "gamma-ec"]);
    expect(all.total).toBe(5);
    // The count with a version filter takes the joined path; it must not count the deleted key either.
    expect((await searchKeys(h.db, query({ tag: { name: "env", value: "prod" } }), h.clock.now())).total).toBe(2);
  });

  it("filters by name (case-insensitive), type family or HSM variant, enabled, tag, origin", async () => {
    await seed();
    expect(await names({ q: "PAY" })).toEqual(["Alpha-Payments"]);
    expect(await names({ type: "RSA" })).toEqual(["Alpha-Payments", "beta-soft", "epsilon-restored"]);
    expect(await names({ type: "RSA-HSM" })).toEqual(["Alpha-Payments", "epsilon-restored"]);
    expect(await names({ type: "oct" })).toEqual(["delta-aes"]);
    expect(await names({ enabled: false })).toEqual(["beta-soft"]);
    expect(await names({ tag: { name: "team" } })).toEqual(["Alpha-Payments"]);
    expect(await names({ tag: { name: "env", value: "prod" } })).toEqual(["Alpha-Payments", "gamma-ec"]);
    expect(await names({ tag: { name: "env", value: "pro" } })).toEqual([]);
    expect(await names({ origin: "byok-imported" })).toEqual(["gamma-ec"]);
    expect(await names({ origin: "imported" })).toEqual(["delta-aes"]);
  });

  it("finds keys expiring within N days: not the expired ones, not those without exp", async () => {
    await seed();
    expect(await names({ expiringWithinDays: 10, sort: "expires" })).toEqual(["epsilon-restored", "Alpha-Payments"]);
    expect(await names({ expiringWithinDays: 0 })).toEqual([]);
  });

  it("sorts by created, updated and expires in both directions, keys without exp last", async () => {
    await seed();
    expect(await names({ sort: "created", dir: "desc" })).toEqual(["epsilon-restored", "delta-aes", "gamma-ec", "beta-soft", "Alpha-Payments"]);
    expect(await names({ sort: "expires" })).toEqual(["delta-aes", "epsilon-restored", "Alpha-Payments", "gamma-ec", "beta-soft"]);
    expect(await names({ sort: "expires", dir: "desc" })).toEqual(["gamma-ec", "Alpha-Payments", "epsilon-restored", "delta-aes", "beta-soft"]);
    h.clock.advance(60);
    await h.store.updateVersion("beta-soft", undefined, () => ({ enabled: true }));
    expect((await names({ sort: "updated", dir: "desc" }))[0]).toBe("beta-soft");
  });

  it("reports the latest version's attributes and tags", async () => {
    await seed();
    h.clock.advance(60);
    await h.store.addVersion("gamma-ec", { ...ecKey("gamma-ec"), enabled: false, tags: { env: "staging" } });
    expect(await names({ tag: { name: "env", value: "prod" } })).toEqual(["Alpha-Payments"]);
    const [row] = (await searchKeys(h.db, query({ q: "gamma" }), h.clock.now())).rows;
    expect(row).toMatchObject({ name: "gamma-ec", enabled: false, tags: { env: "staging" }, exp: null, crv: "P-256", n_length: null, origin: "byok-imported" });
  });

  it("pages with a stable order and the same total on every page", async () => {
    await seed();
    const pages = await Promise.all([1, 2, 3].map((page) => searchKeys(h.db, query({ page, pageSize: 2 }), h.clock.now())));
    expect(pages.map((p) => p.rows.map((r) => r.name))).toEqual([["Alpha-Payments", "beta-soft"], ["delta-aes", "epsilon-restored"], ["gamma-ec"]]);
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
  });

  it("lists expiries in a window, expired ones included, soonest first, bounded with an exact total", async () => {
    await seed();
    const within = await keyExpiries(h.db, 30, h.clock.now());
    expect(within.rows.map((r) => r.name)).toEqual(["delta-aes", "epsilon-restored", "Alpha-Payments"]);
    expect(within.total).toBe(3);
    const bounded = await keyExpiries(h.db, 365, h.clock.now(), 2);
    expect(bounded.rows.map((r) => r.name)).toEqual(["delta-aes", "epsilon-restored"]);
    expect(bounded.total).toBe(4);
  });
});
