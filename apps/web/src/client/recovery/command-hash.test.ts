import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkCommand, sha256Hex } from "./command-hash";

describe("sha256Hex and checkCommand", () => {
  it("hashes the UTF-8 text as the server does (FIPS 180-2 'abc' vector, and a command with non-ASCII text)", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const command = JSON.stringify({ type: "sd.share.rehearse", key: "custodian", approvedBy: { oid: "x", name: "Aiko 田中" } }, null, 2);
    expect(await sha256Hex(command)).toBe(createHash("sha256").update(command).digest("hex"));
  });

  it("says whether the text is the one the listed hash names", async () => {
    const listed = await sha256Hex("the command");
    expect(await checkCommand("the command", listed)).toEqual({ state: "matches", sha256: listed });
    expect(await checkCommand("the command ", listed)).toEqual({ state: "differs", sha256: await sha256Hex("the command ") });
  });
});
