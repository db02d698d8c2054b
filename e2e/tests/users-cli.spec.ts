import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test, expect } from "../fixtures";
import { userToken } from "../harness/tokens";

// apps/web/scripts/users.ts against the running portal: no restart needed, secrets printed once.
test.describe("users CLI", () => {
  const run = (home: string, webDir: string, ...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/users.ts", ...args], { cwd: webDir, env: { ...process.env, KEYWARD_HOME: home }, encoding: "utf8" });
  const identities = (dataDir: string) => readFileSync(join(dataDir, "auth", "identities.json"), "utf8");

  test("resets a password: the old one stops working, the new one signs in; only hashes are stored", async ({ product, users }) => {
    const user = await users.create({ prefix: "reset" });
    const out = run(product.home, product.webDir, "reset-password", user.username);
    expect(out.status).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(out.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    await expect(userToken(product.origin, user)).rejects.toThrow(`sign-in as ${user.username} failed (401)`);
    expect(await userToken(product.origin, { username: user.username, password: password! })).toMatch(/^ey/);
    expect(identities(product.dataDir)).not.toContain(password!);
  });

  test("refuses an existing name, a bad name and a missing user in words, changing nothing", ({ product }) => {
    const before = identities(product.dataDir);
    const taken = run(product.home, product.webDir, "add", "admin");
    expect([taken.status, taken.stderr]).toEqual([1, "users: user admin already exists\n"]);
    const bad = run(product.home, product.webDir, "add", "bad name");
    expect([bad.status, bad.stderr]).toEqual([1, "users: username is 1–128 letters, digits, '.', '_', '@' or '-'\n"]);
    const missing = run(product.home, product.webDir, "reset-password", "nobody-here");
    expect([missing.status, missing.stderr]).toEqual([1, "users: no user nobody-here\n"]);
    for (const args of [["remove", "admin"], ["add", "--admin"], ["add"]]) {
      const usage = run(product.home, product.webDir, ...args);
      expect([usage.status, usage.stderr.split("\n")[0]], args.join(" ")).toEqual([64, "usage: users add USERNAME [--display-name NAME] [--json]"]);
    }
    expect(identities(product.dataDir)).toBe(before);
  });
});
