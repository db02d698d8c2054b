import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addClient, addLocalUser, findClient, findUser, readIdentities, setLocalUserPassword } from "./identities";
import { hashSecret, verifySecret } from "./password-hash";
import { ensureEmbeddedIdentities, formatInitialCredentials } from "./seed";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "keyward-ids-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe("password hashes", () => {
  it("verify the right secret only", async () => {
    const hash = await hashSecret("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifySecret("correct horse battery staple", hash)).toBe(true);
    expect(await verifySecret("correct horse battery stapler", hash)).toBe(false);
    expect(await hashSecret("x".repeat(12))).not.toBe(await hashSecret("x".repeat(12)));
  });

  it.each(["", "bcrypt$x", "scrypt$99$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA", "scrypt$15$8$1$short$AAAA"])("treat a malformed stored hash %j as a mismatch", async (stored) => {
    expect(await verifySecret("anything", stored)).toBe(false);
  });
});

describe("local users and clients (CLI-friendly)", () => {
  it("adds a user with a generated password, usable at once; usernames fold case", async () => {
    const { user, password } = await addLocalUser(dataDir, { username: "Alice", displayName: "Alice A." });
    expect(user.username).toBe("alice");
    const ids = await readIdentities(dataDir);
    const stored = findUser(ids!, "ALICE");
    expect(stored?.oid).toBe(user.oid);
    expect(await verifySecret(password, stored!.passwordHash)).toBe(true);
  });

  it("refuses a duplicate user, a short password and a bad username", async () => {
    await addLocalUser(dataDir, { username: "bob", password: "bob-password-1" });
    await expect(addLocalUser(dataDir, { username: "BOB", password: "another-password" })).rejects.toThrow(/already exists/);
    await expect(addLocalUser(dataDir, { username: "carol", password: "short" })).rejects.toThrow(/12 characters/);
    await expect(addLocalUser(dataDir, { username: "no spaces" })).rejects.toThrow();
  });

  it("replaces a password", async () => {
    await addLocalUser(dataDir, { username: "dave", password: "first-password-1" });
    const next = await setLocalUserPassword(dataDir, "dave");
    const stored = findUser((await readIdentities(dataDir))!, "dave")!;
    expect(await verifySecret(next, stored.passwordHash)).toBe(true);
    expect(await verifySecret("first-password-1", stored.passwordHash)).toBe(false);
  });

  it("adds a confidential client with a one-time secret and a public client without one", async () => {
    const conf = await addClient(dataDir, { clientId: "ci-pipeline", type: "confidential" });
    expect(conf.secret).toBeTruthy();
    expect(conf.client.grantTypes).toEqual(["client_credentials"]);
    const pub = await addClient(dataDir, { clientId: "spa", type: "public", redirectUris: ["https://app.example/cb"] });
    expect(pub.secret).toBeUndefined();
    expect(pub.client.grantTypes).toEqual(["authorization_code", "refresh_token"]);
    const ids = (await readIdentities(dataDir))!;
    expect(await verifySecret(conf.secret!, findClient(ids, "ci-pipeline")!.secretHash!)).toBe(true);
    await expect(addClient(dataDir, { clientId: "spa", type: "public" })).rejects.toThrow(/already exists/);
    await expect(addClient(dataDir, { clientId: "bad", type: "public", grantTypes: ["client_credentials"] })).rejects.toThrow(/public client/);
  });

  it("serializes concurrent writers in one process (no lost update)", async () => {
    await Promise.all(Array.from({ length: 4 }, (_, i) => addLocalUser(dataDir, { username: `u${i}`, password: `password-number-${i}` })));
    expect((await readIdentities(dataDir))!.users.map((u) => u.username).sort()).toEqual(["u0", "u1", "u2", "u3"]);
  });
});

describe("the embedded default's identities", () => {
  it("are created once, with the generated secrets announced once", async () => {
    const first = await ensureEmbeddedIdentities(dataDir);
    expect(first.created).toBe(true);
    expect(formatInitialCredentials(first)).toContain(first.initial!.adminPassword);
    const second = await ensureEmbeddedIdentities(dataDir);
    expect(second).toEqual({ created: false, tenantId: first.tenantId, adminOid: first.adminOid, cliOid: first.cliOid });
    expect(formatInitialCredentials(second)).toBeUndefined();
  });

  it("two processes starting together end up with one set", async () => {
    const [a, b] = await Promise.all([ensureEmbeddedIdentities(dataDir), ensureEmbeddedIdentities(dataDir)]);
    expect(a.adminOid).toBe(b.adminOid);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  });
});
