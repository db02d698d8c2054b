import { randomBytes } from "node:crypto";
import { domainKeyFromBytes } from "../../domain-key/domain-key";
import { materialCipher } from "../../domain-key/material";
import type { Db } from "../db";
import type { NewKey, ReleasePolicy } from "../key-records";

/** Fixed so that a child process and its parent test open each other's material. */
export const TEST_DOMAIN_KEY = domainKeyFromBytes(Buffer.alloc(32, 0x5a));
export const testCipher = () => materialCipher(TEST_DOMAIN_KEY);

/** 2026-01-01T00:00:00Z. */
export const T0 = 1_767_225_600;

export function frozenClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance: (seconds: number) => {
      now += seconds;
    },
  };
}

export function rsaKey(name: string, overrides: Partial<NewKey> = {}): NewKey {
  return {
    name,
    kty: "RSA-HSM",
    keyOps: ["sign", "verify"],
    publicJwk: { n: randomBytes(256).toString("base64url"), e: "AQAB" },
    material: randomBytes(1218),
    origin: "generated",
    hsmPlatform: "0",
    ...overrides,
  };
}

export function ecKey(name: string, overrides: Partial<NewKey> = {}): NewKey {
  return {
    name,
    kty: "EC-HSM",
    keyOps: ["sign", "verify"],
    publicJwk: { crv: "P-256", x: randomBytes(32).toString("base64url"), y: randomBytes(32).toString("base64url") },
    material: randomBytes(67),
    origin: "byok-imported",
    hsmPlatform: "0",
    ...overrides,
  };
}

export function octKey(name: string, overrides: Partial<NewKey> = {}): NewKey {
  return {
    name,
    kty: "oct-HSM",
    keyOps: ["wrapKey", "unwrapKey"],
    publicJwk: {},
    material: randomBytes(32),
    origin: "generated",
    hsmPlatform: "0",
    ...overrides,
  };
}

export function releasePolicy(immutable = false, claim = "sdk-test"): ReleasePolicy {
  const policy = { version: "1.0.0", anyOf: [{ authority: "https://attest.example/", allOf: [{ claim, equals: true }] }] };
  return { contentType: "application/json; charset=utf-8", data: Buffer.from(JSON.stringify(policy)).toString("base64url"), immutable };
}

/** Every stored row, to show that a refused call changed nothing. One query: PGlite pays per statement. */
export async function snapshot(db: Db) {
  const { rows } = await db.query<{ keys: unknown; versions: unknown }>(
    `SELECT (SELECT coalesce(json_agg(k ORDER BY k.id), '[]') FROM keys k) AS keys,
            (SELECT coalesce(json_agg(v ORDER BY v.key_id, v.seq), '[]') FROM key_versions v) AS versions`,
  );
  return rows[0];
}

/** DELETE rather than TRUNCATE: on PGlite it is 50x faster for the few rows a test leaves. */
export async function truncate(db: Db): Promise<void> {
  await db.exec("DELETE FROM keys");
}
