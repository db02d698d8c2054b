import { z } from "zod";
import { KEY_OPS } from "../keys/key-ops.js";
import { EC_CURVES, KEY_TYPES } from "../keys/spec.js";

/**
 * The plaintext inside a key backup blob (the blob itself is sealed under the instance's domain key,
 * so it restores only where the same security domain is held). One key, every version, its material.
 */
export const KEY_BACKUP_FORMAT = "keyward-key-backup";

const nullableInt = z.int().nullable();

export const KeyBackupPayloadSchema = z.object({
  format: z.literal(KEY_BACKUP_FORMAT),
  version: z.literal(1),
  name: z.string().min(1).max(127),
  managed: z.boolean(),
  rotationPolicy: z
    .object({
      lifetimeActions: z.array(z.object({ trigger: z.object({ timeAfterCreate: z.string().optional(), timeBeforeExpiry: z.string().optional() }), action: z.object({ type: z.enum(["Rotate", "Notify"]) }) })),
      expiryTime: z.string().nullable(),
    })
    .nullable(),
  versions: z
    .array(
      z.object({
        version: z.string().regex(/^[0-9a-f]{32}$/),
        kty: z.enum(KEY_TYPES),
        keyOps: z.array(z.enum(KEY_OPS)),
        enabled: z.boolean(),
        nbf: nullableInt,
        exp: nullableInt,
        exportable: z.boolean(),
        created: z.int(),
        updated: z.int(),
        tags: z.record(z.string(), z.string()),
        releasePolicy: z.object({ contentType: z.string(), data: z.string(), immutable: z.boolean() }).nullable(),
        publicJwk: z.object({ n: z.string().optional(), e: z.string().optional(), crv: z.enum(EC_CURVES).optional(), x: z.string().optional(), y: z.string().optional() }),
        hsmPlatform: z.string(),
        /** base64url of the material as the store holds it in plaintext. */
        material: z.string(),
      }),
    )
    .min(1)
    .max(100),
});
export type KeyBackupPayload = z.infer<typeof KeyBackupPayloadSchema>;
