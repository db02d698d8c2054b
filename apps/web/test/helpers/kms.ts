import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Kms, * as $Kms from "@alicloud/kms20160120";
import { Config } from "@alicloud/openapi-client";
import { expect } from "vitest";
import { KMS_API_VERSION, rpcStringToSign } from "@keyward/shared";
import type { KmsAccessKey } from "../../src/server/kms/access-key";
import type { Db } from "../../src/server/store";

export { $Kms };

export function readAccessKey(dataDir: string): KmsAccessKey {
  return JSON.parse(readFileSync(join(dataDir, "kms", "access-key.json"), "utf8")) as KmsAccessKey;
}

/** The official Alibaba Cloud KMS client, pointed at the portal's HTTPS origin (its CA trusted through NODE_EXTRA_CA_CERTS). */
export function officialKmsClient(origin: string, key: Pick<KmsAccessKey, "accessKeyId" | "accessKeySecret">): Kms {
  return new Kms(new Config({ endpoint: new URL(origin).host, protocol: "https", accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, regionId: "cn-hangzhou" }));
}

/** The call is refused with this provider code and HTTP status (the official client reports both). */
export async function expectKmsError(call: Promise<unknown>, code: string, status: number): Promise<string> {
  const err = await call.then(
    () => null,
    (e: unknown) => e as { data?: { Code?: string; RequestId?: string; HostId?: string }; message?: string },
  );
  expect(err, `expected ${code}`).not.toBeNull();
  expect({ code: err?.data?.Code, status: Number(/\bcode: (\d{3}),/.exec(err?.message ?? "")?.[1]) }).toEqual({ code, status });
  expect(err?.data).toMatchObject({ RequestId: expect.any(String), HostId: expect.any(String) });
  return err?.message ?? "";
}

/** Every KMS row, to show a refused request changed nothing. */
export async function kmsSnapshot(db: Db): Promise<unknown> {
  const { rows } = await db.query(
    `SELECT (SELECT coalesce(json_agg(k ORDER BY k.key_id), '[]') FROM kms_keys k) AS keys,
            (SELECT coalesce(json_agg(a ORDER BY a.alias_name), '[]') FROM kms_aliases a) AS aliases,
            (SELECT coalesce(json_agg(t ORDER BY t.token_hash), '[]') FROM kms_import_tokens t) AS tokens`,
  );
  return rows[0];
}

/** A raw signed RPC request, for what the official client will not send (a replayed nonce, a stale timestamp…). */
export function signedUrl(origin: string, key: Pick<KmsAccessKey, "accessKeyId" | "accessKeySecret">, method: string, params: Record<string, string>, at = new Date()): string {
  const all: Record<string, string> = {
    Format: "json",
    Version: KMS_API_VERSION,
    Timestamp: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    SignatureNonce: randomUUID(),
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    AccessKeyId: key.accessKeyId,
    ...params,
  };
  all.Signature = createHmac("sha1", `${key.accessKeySecret}&`).update(rpcStringToSign(method, all)).digest("base64");
  return `${origin}/?${new URLSearchParams(all).toString()}`;
}
