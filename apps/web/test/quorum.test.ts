import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_IDS, KeyVaultErrorBodySchema, QuorumRecordSchema, type QuorumRecord } from "@keyward/shared";
import { custodianSetOf, provideCustodianSet, quorumServiceOf, type CustodianSetView } from "../src/server/quorum";
import { startTestTarget, type TestTarget } from "./helpers/target";

/**
 * Quorum records over HTTP against a real portal: the record joined from the custodian set (injected,
 * as the security-domain service will provide it) and the database; every write, each refusal in words
 * with nothing written, and who may read and write.
 */

const DAY = 86_400;
const START = Math.floor(Date.UTC(2026, 0, 31, 9) / 1000);
let clock = START;
const thumbprint = (seed: number) => `${String.fromCharCode(65 + seed).repeat(42)}A`;
let domainCounter = 0;
let set: CustodianSetView | null = null;

/** A fresh active domain of three custodians (its own fingerprint, so tests do not see each other's records). */
function activeDomain(changes: Partial<CustodianSetView> = {}): CustodianSetView {
  domainCounter += 1;
  return {
    fingerprint: domainCounter.toString(16).padStart(32, "0"),
    state: "active",
    required: 2,
    activatedAt: START - 10 * DAY,
    custodians: [0, 1, 2].map((i) => ({ thumbprintSha256: thumbprint(i), commonName: `Keyward custodian ${i + 1}`, notAfter: START + 365 * DAY, shareNumber: i + 1 })),
    ...changes,
  };
}

let t: TestTarget;
let admin: string;
let cryptoUser: string;

beforeAll(async () => {
  // The target's clock only: tokens are issued and checked on real time.
  // The custodian set is injected below: the target's own security domain need not be activated.
  t = await startTestTarget({ now: () => clock, activate: false });
  provideCustodianSet(t.portal.target, () => Promise.resolve(set));
  const cred = await t.principalWithRoles("quorum-admin", [BUILT_IN_ROLE_IDS.administrator]);
  admin = (await cred.getToken("https://managedhsm.azure.net/.default"))?.token ?? "";
  cryptoUser = await t.token();
});
afterAll(async () => t.close());
beforeEach(() => {
  clock = START;
  set = activeDomain();
});

async function call(method: string, path: string, body?: unknown, token = admin): Promise<Response> {
  return fetch(`${t.origin}/portal-api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
}
async function record(): Promise<QuorumRecord> {
  const res = await call("GET", "/quorum");
  expect(res.status).toBe(200);
  return QuorumRecordSchema.parse(await res.json());
}
async function ok(res: Response, status = 200): Promise<QuorumRecord> {
  expect(res.status, await res.clone().text()).toBe(status);
  return QuorumRecordSchema.parse(await res.json());
}
async function refusal(res: Response): Promise<{ status: number; code: string; message: string; inner?: string }> {
  const { error } = KeyVaultErrorBodySchema.parse(await res.json());
  return { status: res.status, code: error.code, message: error.message, ...(error.innererror ? { inner: error.innererror.code } : {}) };
}
const person = (name: string, location = "", role = "", contact = "") => ({ person: name, role, contact, location });
const putPerson = (seed: number, body: unknown, token = admin) => call("PUT", `/quorum/custodians/${thumbprint(seed)}`, body, token);
const transfer = (changes: Record<string, unknown> = {}) => ({ thumbprintSha256: thumbprint(0), from: "Alice", to: person("Bob", "safe 2, Osaka office"), reason: "Alice moved to the Taipei office", approvedBy: "Carol (CISO)", ...changes });

describe("GET /portal-api/quorum", () => {
  it("answers with no domain before the first download", async () => {
    set = null;
    const r = await record();
    expect(r).toMatchObject({ domain: null, custodians: [], warnings: [], review: null, transfers: [], reviews: [] });
  });

  it("joins the certificates with empty records, names the incomplete records and m = 2, and schedules the first review from activation", async () => {
    const r = await record();
    expect(r.domain).toEqual({ fingerprint: set?.fingerprint, state: "active", required: 2, total: 3, activatedAt: new Date((START - 10 * DAY) * 1000).toISOString() });
    expect(r.custodians[1]).toEqual({
      thumbprintSha256: thumbprint(1),
      commonName: "Keyward custodian 2",
      shareNumber: 2,
      notAfter: new Date((START + 365 * DAY) * 1000).toISOString(),
      person: "",
      role: "",
      contact: "",
      location: "",
      updatedAt: null,
      updatedBy: null,
      lastRehearsalAt: null,
    });
    expect(r.warnings.map((w) => w.code)).toEqual(["QUORUM_BELOW_RECOMMENDED", "RECORD_INCOMPLETE"]);
    // Activated 21 January 09:00 → due 21 April 09:00, 80 days after 31 January 09:00.
    expect(r.review).toEqual({ basis: "activation", nextReviewAt: "2026-04-21T09:00:00.000Z", due: false, daysLeft: 80, lastReviewedAt: null });
  });

  it("shows the review as due once its date has passed", async () => {
    clock = START + 81 * DAY;
    expect((await record()).review).toMatchObject({ due: true, daysLeft: -1 });
  });

  it("shows the last rehearsal the rehearsal service recorded", async () => {
    await quorumServiceOf(t.portal.target).recordRehearsal(set?.fingerprint ?? "", thumbprint(2), START - DAY);
    expect((await record()).custodians[2]?.lastRehearsalAt).toBe(new Date((START - DAY) * 1000).toISOString());
  });

  it("refuses a principal without the security domain's read action, naming it", async () => {
    const r = await refusal(await call("GET", "/quorum", undefined, cryptoUser));
    expect(r).toMatchObject({ status: 403, code: "Forbidden" });
    expect(r.message).toMatch(/securitydomain\/download\/read/);
  });
});

describe("writing the records", () => {
  it("records a holder's person fields, trimmed, with who wrote them", async () => {
    const r = await ok(await putPerson(0, { person: "  Alice Ng ", role: "Security architect", contact: "alice@example.com", location: "safe 1, Tokyo office" }));
    expect(r.custodians[0]).toMatchObject({ person: "Alice Ng", role: "Security architect", contact: "alice@example.com", location: "safe 1, Tokyo office", updatedAt: new Date(START * 1000).toISOString() });
    expect(r.custodians[0]?.updatedBy?.id).toBeTruthy();
  });

  it("warns when two custodians keep their shares in the same place, and when one person holds two", async () => {
    await ok(await putPerson(0, person("Alice", "Safe 2, Osaka office")));
    await ok(await putPerson(1, person("Bob", "safe 2,  osaka office")));
    let r = await ok(await putPerson(2, person("alice", "bank box, Taipei")));
    // Two shares at one place or with one person reach the quorum of 2: errors.
    expect(r.warnings.map((w) => [w.severity, w.code, w.thumbprints])).toEqual([
      ["error", "SAME_PERSON", [thumbprint(0), thumbprint(2)]],
      ["error", "SAME_LOCATION", [thumbprint(0), thumbprint(1)]],
      ["warning", "QUORUM_BELOW_RECOMMENDED", []],
    ]);
    set = { ...(set as CustodianSetView), required: 3 };
    r = await record();
    expect(r.warnings.map((w) => [w.severity, w.code])).toEqual([
      ["warning", "SAME_PERSON"],
      ["warning", "SAME_LOCATION"],
    ]);
  });

  it("records a transfer: appended, and the recipient becomes the holder", async () => {
    await ok(await putPerson(0, person("Alice", "safe 1, Tokyo office", "Architect")));
    clock += 3600;
    const r = await ok(await call("POST", "/quorum/transfers", transfer()), 201);
    expect(r.custodians[0]).toMatchObject({ person: "Bob", location: "safe 2, Osaka office", role: "" });
    expect(r.transfers).toEqual([
      {
        seq: expect.any(Number),
        at: new Date((START + 3600) * 1000).toISOString(),
        thumbprintSha256: thumbprint(0),
        from: person("Alice", "safe 1, Tokyo office", "Architect"),
        to: person("Bob", "safe 2, Osaka office"),
        reason: "Alice moved to the Taipei office",
        approvedBy: "Carol (CISO)",
        recordedBy: expect.objectContaining({ id: expect.any(String) }),
      },
    ]);
  });

  it("records a review and counts the next one three months from it, month ends clamped", async () => {
    clock = START + 80 * DAY; // 21 April 2026
    const first = await ok(await call("POST", "/quorum/reviews", { note: "Quarterly review: all four present" }), 201);
    expect(first.reviews[0]).toMatchObject({ at: new Date(clock * 1000).toISOString(), note: "Quarterly review: all four present" });
    clock = Math.floor(Date.UTC(2026, 4, 31, 9) / 1000);
    const r = await ok(await call("POST", "/quorum/reviews", {}), 201);
    expect(r.reviews.map((x) => x.note)).toEqual(["", "Quarterly review: all four present"]);
    expect(r.review).toEqual({ basis: "last-review", nextReviewAt: "2026-08-31T09:00:00.000Z", due: false, daysLeft: 92, lastReviewedAt: "2026-05-31T09:00:00.000Z" });
  });

  it("refuses writes by a principal without the security domain's download action", async () => {
    const r = await refusal(await putPerson(0, person("Mallory"), cryptoUser));
    expect(r).toMatchObject({ status: 403, code: "Forbidden" });
    expect(r.message).toMatch(/securitydomain\/download\/action/);
    expect((await record()).custodians[0]?.person).toBe("");
  });
});

describe("the target's own security domain", () => {
  it("is what the records are about when nothing else is provided", async () => {
    const own = await startTestTarget();
    try {
      const cred = await own.principalWithRoles("quorum-own-admin", [BUILT_IN_ROLE_IDS.administrator]);
      const token = (await cred.getToken("https://managedhsm.azure.net/.default"))?.token ?? "";
      const res = await fetch(`${own.origin}/portal-api/quorum`, { headers: { authorization: `Bearer ${token}` } });
      const r = QuorumRecordSchema.parse(await res.json());
      // The helper activates a test target with three custodians and m = 2.
      const status = await own.portal.target.ctx.securityDomain.status();
      expect(custodianSetOf(status)).not.toBeNull();
      expect(r.domain).toEqual({ fingerprint: status.fingerprint, state: "active", required: 2, total: 3, activatedAt: new Date((status.activatedAt ?? 0) * 1000).toISOString() });
      expect(r.custodians.map((c) => [c.shareNumber, c.thumbprintSha256, c.commonName])).toEqual(status.custodians.map((c) => [c.shareNumber, c.thumbprintSha256, c.subject]));
      expect(r.review).toMatchObject({ basis: "activation", due: false });
    } finally {
      await own.close();
    }
  });
});

describe("refusals write nothing", () => {
  const long = (n: number) => "x".repeat(n);
  const cases: [string, () => Promise<Response>, { status: number; message: RegExp; inner?: string }][] = [
    ["a thumbprint outside the set", () => putPerson(7, person("Alice")), { status: 400, message: /is not the thumbprint of a custodian certificate of this security domain/, inner: "QuorumUnknownCustodian" }],
    ["a malformed thumbprint", () => call("PUT", "/quorum/custodians/abc", person("Alice")), { status: 400, message: /43 base64url characters/ }],
    ["an empty person name", () => putPerson(0, person("   ", "safe 1")), { status: 400, message: /^person: the person's name is required$/ }],
    ["a missing person name", () => putPerson(0, { location: "safe 1" }), { status: 400, message: /person/ }],
    ["an over-long name", () => putPerson(0, person(long(201))), { status: 400, message: /person: the person's name is at most 200 characters/ }],
    ["an over-long location", () => putPerson(0, person("Alice", long(301))), { status: 400, message: /location: the location is at most 300 characters/ }],
    ["an over-long contact", () => putPerson(0, person("Alice", "", "", long(301))), { status: 400, message: /contact: the contact is at most 300 characters/ }],
    ["a line break in a one-line field", () => putPerson(0, person("Alice\nBob")), { status: 400, message: /one line, without control characters/ }],
    ["an unknown field", () => putPerson(0, { ...person("Alice"), salary: 1 }), { status: 400, message: /salary/ }],
    ["a body that is not JSON", () => call("PUT", `/quorum/custodians/${thumbprint(0)}`, "{"), { status: 400, message: /not valid JSON/ }],
    ["a transfer of a share outside the set", () => call("POST", "/quorum/transfers", transfer({ thumbprintSha256: thumbprint(9) })), { status: 400, message: /is not the thumbprint of a custodian certificate/ }],
    ["a transfer to the holder already recorded", () => call("POST", "/quorum/transfers", transfer({ to: person(" ALICE ") })), { status: 400, message: /share 1 is already held by "ALICE"/, inner: "QuorumSameHolder" }],
    ["a transfer without a reason", () => call("POST", "/quorum/transfers", transfer({ reason: " " })), { status: 400, message: /reason: the reason is required/ }],
    ["a transfer without an approver", () => call("POST", "/quorum/transfers", transfer({ approvedBy: "" })), { status: 400, message: /approvedBy: who approved it is required/ }],
    ["a transfer with an over-long reason", () => call("POST", "/quorum/transfers", transfer({ reason: long(2001) })), { status: 400, message: /reason: the reason is at most 2000 characters/ }],
    ["a transfer to nobody", () => call("POST", "/quorum/transfers", transfer({ to: person("") })), { status: 400, message: /to\.person: the person's name is required/ }],
    ["a transfer from someone who no longer holds the share", () => call("POST", "/quorum/transfers", transfer({ from: "Dave" })), { status: 409, message: /now recorded as held by "Alice", not "Dave"/, inner: "QuorumHolderChanged" }],
    ["a transfer of a share nobody holds yet", () => call("POST", "/quorum/transfers", transfer({ thumbprintSha256: thumbprint(1), from: "" })), { status: 400, message: /nobody is recorded as the holder of share 2 yet/, inner: "QuorumNoHolder" }],
    ["a review with an over-long note", () => call("POST", "/quorum/reviews", { note: long(2001) }), { status: 400, message: /note: the note is at most 2000 characters/ }],
  ];

  it.each(cases)("refuses %s", async (_name, send, expected) => {
    await ok(await putPerson(0, person("Alice", "safe 1, Tokyo office")));
    const before = await record();
    const r = await refusal(await send());
    expect(r.status).toBe(expected.status);
    expect(r.message).toMatch(expected.message);
    if (expected.inner) expect(r.inner).toBe(expected.inner);
    expect(await record()).toEqual(before);
  });

  it("refuses every write while there is no security domain", async () => {
    set = null;
    for (const res of [await putPerson(0, person("Alice")), await call("POST", "/quorum/transfers", transfer()), await call("POST", "/quorum/reviews", {})]) {
      expect(await refusal(res)).toMatchObject({ status: 409, code: "Conflict", inner: "QuorumNoDomain", message: expect.stringMatching(/download the security domain first/) });
    }
    set = activeDomain();
    expect((await record()).reviews).toEqual([]);
  });
});
