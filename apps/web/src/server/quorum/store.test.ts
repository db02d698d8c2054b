import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../store/migrate";
import { BACKENDS, type TestBackend } from "../store/test-support/backends";
import { QuorumStore, type TransferWrite } from "./store";

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const thumbprint = (seed: number) => `${String.fromCharCode(65 + seed).repeat(42)}A`;
/** Each test works in a domain of its own, so tests share one database without cleaning up. */
const newDomain = () => randomBytes(16).toString("hex");
const admin = { id: "oid-admin", name: "admin" };
const holder = (person: string, location = "") => ({ person, role: "", contact: "", location });

function transfer(changes: Partial<TransferWrite> = {}): TransferWrite {
  return { thumbprint: thumbprint(0), expectedFrom: "Alice", to: holder("Bob", "safe 2, Osaka office"), reason: "Alice moved to Taipei", approvedBy: "Carol (CISO)", by: admin, at: T0 + 60, ...changes };
}

describe.each(BACKENDS)("quorum store on $name", ({ open }) => {
  let backend: TestBackend;
  let store: QuorumStore;
  beforeAll(async () => {
    backend = await open();
    await migrate(backend.db);
    store = new QuorumStore(backend.db);
  });
  afterAll(() => backend?.dispose());

  it("records and corrects a holder's person fields, with who wrote them and when", async () => {
    const fp = newDomain();
    await store.putPerson(fp, thumbprint(0), { person: "Alice", role: "Security architect", contact: "alice@example.com", location: "safe 1, Tokyo" }, admin, T0);
    await store.putPerson(fp, thumbprint(0), { person: "Alice Ng", role: "Security architect", contact: "+81 3 0000 0000", location: "safe 1, Tokyo" }, { id: "oid-2" }, T0 + 5);
    await store.putPerson(newDomain(), thumbprint(0), holder("Someone else"), admin, T0);
    expect([...(await store.custodians(fp)).values()]).toEqual([
      { thumbprint: thumbprint(0), person: "Alice Ng", role: "Security architect", contact: "+81 3 0000 0000", location: "safe 1, Tokyo", updatedAt: T0 + 5, updatedBy: { id: "oid-2" }, lastRehearsalAt: null },
    ]);
  });

  it("appends a transfer and makes its recipient the holder in the same transaction", async () => {
    const fp = newDomain();
    await store.putPerson(fp, thumbprint(0), { person: "Alice", role: "Architect", contact: "alice@example.com", location: "safe 1, Tokyo" }, admin, T0);
    expect(await store.transfer(fp, transfer({ expectedFrom: "  alice " }))).toBeNull();
    expect((await store.custodians(fp)).get(thumbprint(0))).toMatchObject({ person: "Bob", location: "safe 2, Osaka office", updatedAt: T0 + 60, updatedBy: admin });
    expect(await store.transfers(fp)).toEqual([
      {
        seq: expect.any(Number),
        thumbprint: thumbprint(0),
        at: T0 + 60,
        from: { person: "Alice", role: "Architect", contact: "alice@example.com", location: "safe 1, Tokyo" },
        to: holder("Bob", "safe 2, Osaka office"),
        reason: "Alice moved to Taipei",
        approvedBy: "Carol (CISO)",
        recordedBy: admin,
      },
    ]);
  });

  it("refuses a transfer of a share nobody holds yet, from someone who no longer holds it, or to its holder — writing nothing", async () => {
    const fp = newDomain();
    expect(await store.transfer(fp, transfer())).toEqual({ refused: "no-holder" });
    expect(await store.custodians(fp)).toEqual(new Map());
    await store.putPerson(fp, thumbprint(0), holder("Alice", "safe 1"), admin, T0);
    expect(await store.transfer(fp, transfer({ expectedFrom: "Dave" }))).toEqual({ refused: "holder-changed", current: "Alice" });
    expect(await store.transfer(fp, transfer({ to: holder(" ALICE ") }))).toEqual({ refused: "same-holder" });
    expect(await store.transfers(fp)).toEqual([]);
    expect((await store.custodians(fp)).get(thumbprint(0))).toMatchObject({ person: "Alice", location: "safe 1", updatedAt: T0 });
  });

  it("writes one of two transfers of one share from the same holder; the other sees the new holder", async () => {
    const fp = newDomain();
    await store.putPerson(fp, thumbprint(0), holder("Alice"), admin, T0);
    const results = await Promise.all([store.transfer(fp, transfer({ to: holder("Bob") })), store.transfer(fp, transfer({ to: holder("Erin") }))]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const winner = (await store.custodians(fp)).get(thumbprint(0))?.person;
    expect(results.find((r) => r !== null)).toEqual({ refused: "holder-changed", current: winner });
    expect(await store.transfers(fp)).toHaveLength(1);
  });

  it("rolls the transfer back when the new holder cannot be written", async () => {
    const fp = newDomain();
    await store.putPerson(fp, thumbprint(0), holder("Alice"), admin, T0);
    // The schema refuses this before the store; here the database's own limit fails the holder's UPDATE.
    await expect(store.transfer(fp, transfer({ to: holder("B".repeat(201)) }))).rejects.toThrow();
    expect(await store.transfers(fp)).toEqual([]);
    expect((await store.custodians(fp)).get(thumbprint(0))?.person).toBe("Alice");
  });

  it("keeps reviews newest first, per domain", async () => {
    const fp = newDomain();
    await store.addReview(fp, { at: T0, by: admin, note: "first" });
    await store.addReview(fp, { at: T0 + 90 * 86_400, by: { id: "oid-2" }, note: "" });
    await store.addReview(newDomain(), { at: T0, by: admin, note: "elsewhere" });
    expect((await store.reviews(fp)).map(({ at, by, note }) => ({ at, by, note }))).toEqual([
      { at: T0 + 90 * 86_400, by: { id: "oid-2" }, note: "" },
      { at: T0, by: admin, note: "first" },
    ]);
  });

  it("refuses to change or delete a review or a transfer", async () => {
    const fp = newDomain();
    await store.addReview(fp, { at: T0, by: admin, note: "done" });
    await store.putPerson(fp, thumbprint(0), holder("Alice"), admin, T0);
    await store.transfer(fp, transfer());
    await expect(backend.db.query("UPDATE quorum_reviews SET note = 'rewritten' WHERE domain_fingerprint = $1", [fp])).rejects.toThrow(/quorum_reviews is append-only/);
    await expect(backend.db.query("DELETE FROM quorum_transfers WHERE domain_fingerprint = $1", [fp])).rejects.toThrow(/quorum_transfers is append-only/);
    expect((await store.reviews(fp))[0]?.note).toBe("done");
    expect(await store.transfers(fp)).toHaveLength(1);
  });

  it("records the last passed rehearsal, creating the custodian's row, and never moves it back", async () => {
    const fp = newDomain();
    await store.recordRehearsal(fp, thumbprint(1), T0 + 100);
    expect((await store.custodians(fp)).get(thumbprint(1))).toEqual({ thumbprint: thumbprint(1), person: "", role: "", contact: "", location: "", updatedAt: null, updatedBy: null, lastRehearsalAt: T0 + 100 });
    await store.recordRehearsal(fp, thumbprint(1), T0 + 50);
    await store.putPerson(fp, thumbprint(1), holder("Bob"), admin, T0 + 200);
    expect((await store.custodians(fp)).get(thumbprint(1))).toMatchObject({ person: "Bob", lastRehearsalAt: T0 + 100 });
    await store.recordRehearsal(fp, thumbprint(1), T0 + 300);
    expect((await store.custodians(fp)).get(thumbprint(1))?.lastRehearsalAt).toBe(T0 + 300);
  });

  it("holds the field limits and the thumbprint's form in the database too", async () => {
    const fp = newDomain();
    await expect(store.putPerson(fp, "not-a-thumbprint", holder("Alice"), admin, T0)).rejects.toThrow();
    await expect(store.putPerson(fp, thumbprint(0), holder("Alice", "x".repeat(301)), admin, T0)).rejects.toThrow();
    expect(await store.custodians(fp)).toEqual(new Map());
  });
});
