import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_IDS, DATA_ACTIONS, dataAction, roleDefinitionId, type PrincipalEntry, type RoleAssignment, type RoleScope } from "@keyward/shared";
import { csvFileName, matrixCsv } from "./csv";
import { ACTION_GROUPS, groupOf, groupedActions, shortLabel } from "./groups";
import { buildMatrix, NO_FILTER } from "./matrix";

const ALICE = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const GHOST = "33333333-3333-4333-8333-333333333333";
const principals: PrincipalEntry[] = [
  { id: ALICE, kind: "user", name: "Alice", username: "alice" },
  { id: BOB, kind: "app", name: "=HYPERLINK(\"x\")", username: "bob-app" },
];
let n = 0;
const assign = (principalId: string, role: keyof typeof BUILT_IN_ROLE_IDS, scope: RoleScope): RoleAssignment => ({
  name: `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  principalId,
  scope,
  roleDefinitionId: roleDefinitionId(BUILT_IN_ROLE_IDS[role]),
});
const assignments = [assign(ALICE, "cryptoUser", "/"), assign(BOB, "cryptoServiceEncryptionUser", "/keys/payments"), assign(GHOST, "cryptoAuditor", "/keys")];
const sign = dataAction("keys/sign/action");
const wrap = dataAction("keys/wrap/action");

describe("action groups", () => {
  it("puts every data action in exactly one group, in DATA_ACTIONS order", () => {
    const grouped = groupedActions();
    expect(grouped.flatMap((g) => g.actions).sort()).toEqual([...DATA_ACTIONS].sort());
    expect(grouped.map((g) => g.group)).toEqual(ACTION_GROUPS);
  });

  it("separates crypto, deleted keys and backup from plain key actions, with short labels", () => {
    expect([groupOf(sign), shortLabel(sign)]).toEqual(["crypto", "sign"]);
    expect([groupOf(dataAction("keys/create")), shortLabel(dataAction("keys/create"))]).toEqual(["keys", "create"]);
    expect([groupOf(dataAction("keys/deletedKeys/recover/action")), shortLabel(dataAction("keys/deletedKeys/recover/action"))]).toEqual(["deletedKeys", "recover"]);
    expect([groupOf(dataAction("securitydomain/download/read")), shortLabel(dataAction("securitydomain/download/read"))]).toEqual(["securityDomain", "download/read"]);
    expect([groupOf(dataAction("restore/status/action")), shortLabel(dataAction("restore/status/action"))]).toEqual(["backup", "restore/status"]);
    expect([groupOf(dataAction("rng/action")), shortLabel(dataAction("rng/action"))]).toEqual(["rng", "rng"]);
  });
});

describe("buildMatrix", () => {
  const row = (m: ReturnType<typeof buildMatrix>, id: string) => m.rows.find((r) => r.principal.id === id);

  it("grants what the shared evaluator grants at the chosen scope, HSM-wide roles everywhere and key roles on their key only", () => {
    const hsm = buildMatrix(assignments, principals, "/");
    expect(row(hsm, ALICE)?.granted.has(sign)).toBe(true);
    expect(row(hsm, BOB)?.granted.size).toBe(0);
    expect(row(hsm, BOB)?.roles).toEqual([]);
    const key = buildMatrix(assignments, principals, "/keys/payments");
    expect(row(key, BOB)?.granted.has(wrap)).toBe(true);
    expect(row(key, BOB)?.granted.has(sign)).toBe(false);
    expect(row(key, BOB)?.roles).toEqual([{ roleName: "Managed HSM Crypto Service Encryption User", scope: "/keys/payments" }]);
    expect(row(buildMatrix(assignments, principals, "/keys/other"), BOB)?.granted.size).toBe(0);
  });

  it("shows a principal known only from an assignment by its id", () => {
    expect(row(buildMatrix(assignments, principals, "/"), GHOST)?.principal).toEqual({ id: GHOST, kind: "unknown" });
  });

  it("filters principals by name, sign-in name or id, and actions by text and group", () => {
    expect(buildMatrix(assignments, principals, "/", { ...NO_FILTER, principal: "ALI" }).rows.map((r) => r.principal.id)).toEqual([ALICE]);
    expect(buildMatrix(assignments, principals, "/", { ...NO_FILTER, principal: "bob-app" }).rows.map((r) => r.principal.id)).toEqual([BOB]);
    expect(buildMatrix(assignments, principals, "/", { ...NO_FILTER, principal: GHOST.slice(0, 8) }).rows.map((r) => r.principal.id)).toEqual([GHOST]);
    expect(buildMatrix(assignments, principals, "/", { ...NO_FILTER, action: "keys/sign" }).actions).toEqual([sign]);
    expect(buildMatrix(assignments, principals, "/", { ...NO_FILTER, group: "crypto" }).actions.every((a) => groupOf(a) === "crypto")).toBe(true);
  });

  it("with only-granted, drops principals and actions with no grant among those shown", () => {
    const m = buildMatrix(assignments, principals, "/", { ...NO_FILTER, onlyGranted: true });
    expect(m.rows.map((r) => r.principal.id).sort()).toEqual([ALICE, GHOST].sort());
    expect(m.actions).toContain(sign);
    expect(m.actions).not.toContain(dataAction("securitydomain/download/action"));
    expect(m.actions.every((a) => m.rows.some((r) => r.granted.has(a)))).toBe(true);
  });
});

describe("matrixCsv", () => {
  it("writes one line per principal and yes/no per action, quoting and defusing formula-like names", () => {
    const m = buildMatrix(assignments, principals, "/keys/payments", { ...NO_FILTER, group: "crypto" });
    const lines = matrixCsv(m).trimEnd().split("\r\n");
    expect(lines[0]).toBe(["principal_id", "principal_name", "principal_kind", "scope", "roles", ...m.actions].join(","));
    expect(lines).toHaveLength(1 + m.rows.length);
    const bob = lines.find((l) => l.startsWith(BOB));
    expect(bob).toBe(`${BOB},"'=HYPERLINK(""x"")",app,/keys/payments,Managed HSM Crypto Service Encryption User (/keys/payments),no,no,yes,yes,no,no`);
    expect(m.actions.map(shortLabel)).toEqual(["encrypt", "decrypt", "wrap", "unwrap", "sign", "verify"]);
    expect(csvFileName(m)).toBe("keyward-access-keys-payments.csv");
    expect(csvFileName(buildMatrix([], [], "/"))).toBe("keyward-access-hsm.csv");
  });
});
