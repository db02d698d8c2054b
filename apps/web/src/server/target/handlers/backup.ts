import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { KEY_BACKUP_FORMAT, KeyBackupPayloadSchema, KeyRestoreParametersSchema, TargetError, type KeyBackupPayload } from "@keyward/shared";
import { base64url } from "jose";
import type { DomainKey } from "../../domain-key";
import { toKeyBundle } from "../bundle";
import type { TargetHandler } from "../context";
import { parseJson } from "../http";
import { keyName } from "./keys";

const AAD = Buffer.from("keyward-key-backup-v1");
const FORMAT = 0x01;

/** A key of its own for backups, derived from the domain key: a backup opens only where the domain is. */
function backupKey(domainKey: DomainKey): Buffer {
  return Buffer.from(hkdfSync("sha256", domainKey.secret, Buffer.alloc(0), "keyward key backup v1", 32));
}

function seal(domainKey: DomainKey, payload: KeyBackupPayload): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", backupKey(domainKey), iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(JSON.stringify(payload)), cipher.final()]);
  return base64url.encode(Buffer.concat([Buffer.of(FORMAT), iv, ct, cipher.getAuthTag()]));
}

function open(domainKey: DomainKey, value: string): KeyBackupPayload {
  const refuse = () => new TargetError("BadParameter", "the backup was not made by an instance holding this security domain, or it is corrupted", "BackupInvalid");
  let blob: Buffer;
  try {
    blob = Buffer.from(base64url.decode(value.replace(/=+$/, "")));
  } catch {
    throw refuse();
  }
  if (blob.length < 1 + 12 + 16 || blob[0] !== FORMAT) throw refuse();
  let text: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", backupKey(domainKey), blob.subarray(1, 13));
    decipher.setAAD(AAD);
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    text = Buffer.concat([decipher.update(blob.subarray(13, blob.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw refuse();
  }
  const parsed = KeyBackupPayloadSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw refuse();
  return parsed.data;
}

export const backupKeyHandler: TargetHandler = async (ctx, req) => {
  const backup = await ctx.store.getKeyBackup(keyName(req.route.name));
  const payload: KeyBackupPayload = {
    format: KEY_BACKUP_FORMAT,
    version: 1,
    name: backup.key.name,
    managed: backup.key.managed,
    rotationPolicy: backup.key.rotationPolicy ? { lifetimeActions: backup.key.rotationPolicy.lifetimeActions, expiryTime: backup.key.rotationPolicy.expiryTime } : null,
    versions: backup.versions.map((v) => ({
      version: v.version,
      kty: v.kty,
      keyOps: [...v.keyOps],
      enabled: v.attributes.enabled,
      nbf: v.attributes.nbf,
      exp: v.attributes.exp,
      exportable: v.attributes.exportable,
      created: v.attributes.created,
      updated: v.attributes.updated,
      tags: v.tags,
      releasePolicy: v.releasePolicy,
      publicJwk: v.publicJwk,
      hsmPlatform: v.hsmPlatform,
      material: base64url.encode(v.material),
    })),
  };
  try {
    return { body: { value: seal(ctx.domainKey, payload) } };
  } finally {
    for (const v of backup.versions) v.material.fill(0);
  }
};

export const restoreKeyHandler: TargetHandler = async (ctx, req) => {
  const { value } = parseJson(req.body, KeyRestoreParametersSchema);
  const payload = open(ctx.domainKey, value);
  const bundle = await ctx.store.restoreKey({
    name: payload.name,
    managed: payload.managed,
    rotationPolicy: payload.rotationPolicy,
    versions: payload.versions.map((v) => ({
      version: v.version,
      created: v.created,
      updated: v.updated,
      kty: v.kty,
      keyOps: v.keyOps,
      enabled: v.enabled,
      nbf: v.nbf,
      exp: v.exp,
      exportable: v.exportable,
      tags: v.tags,
      releasePolicy: v.releasePolicy,
      publicJwk: v.publicJwk,
      hsmPlatform: v.hsmPlatform,
      material: base64url.decode(v.material),
    })),
  });
  return { body: toKeyBundle(req.naming, bundle) };
};
