import { z } from "zod";
import { BridgeConfigSchema } from "../bridge/config.js";
import { ByokPathSchema, TokenKeySchema } from "../bridge/results.js";
import { AesSizeSchema, EcCurveSchema, RsaSizeSchema } from "../keys/spec.js";

/**
 * Registered bridges, served by the portal API under `/portal-api/bridges`.
 *
 * Access: writes (register, remove) need `createRoleAssignment` at `/` — Administrators; reads (list,
 * status, token keys) need `importKey` at `/keys` — whoever may run a ceremony. A refusal is the usual
 * `{error:{code,message}}` body (400 BadParameter for bad input, 403 Forbidden, 404 NotFound,
 * 409 Conflict for a duplicate bridgeId).
 *
 * - `GET    /portal-api/bridges`             → {@link BridgeListSchema} (each with its live status)
 * - `POST   /portal-api/bridges`             body {@link RegisterBridgeRequestSchema} → 201 {@link BridgeSchema}
 * - `DELETE /portal-api/bridges/:id`         → 204 (ceremonies that used it keep their record)
 * - `GET    /portal-api/bridges/:id/status`  → {@link BridgeStatusSchema} (`?fresh=1` skips the cache)
 * - `GET    /portal-api/bridges/:id/keys`    → {@link BridgeKeysSchema} (public information only)
 */

export const BridgeIdSchema = BridgeConfigSchema.shape.bridgeId;

/** ws:// or wss:// with a host, as the bridge prints it at `start` (path usually `/bridge`). */
export const BridgeUrlSchema = z
  .string()
  .max(2048)
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === "ws:" || u.protocol === "wss:") && u.hostname.length > 0 && u.username === "" && u.password === "";
      } catch {
        return false;
      }
    },
    { error: "the bridge URL must be a ws:// or wss:// URL with a host and no credentials, e.g. ws://127.0.0.1:7710/bridge" },
  );

/**
 * The bridge's identity public key as `keyward-bridge identity` prints it (`publicJwk`): Ed25519 only.
 * A `kid`, if present, must equal the RFC 7638 thumbprint (the server checks it).
 */
export const BridgeIdentityJwkSchema = z
  .object({
    kty: z.literal("OKP", { error: "the bridge identity must be an Ed25519 public key (kty OKP); other key types are not accepted" }),
    crv: z.literal("Ed25519", { error: "the bridge identity must be an Ed25519 public key (crv Ed25519)" }),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: "x must be the 32-byte Ed25519 public key in base64url (43 characters)" }),
    kid: z.string().max(128).optional(),
    d: z.never({ error: "this is a private key; register the bridge's public key only (keyward-bridge identity)" }).optional(),
  })
  .loose();
export type BridgeIdentityJwk = z.infer<typeof BridgeIdentityJwkSchema>;

/** `POST /portal-api/bridges`. */
export const RegisterBridgeRequestSchema = z
  .object({
    bridgeId: BridgeIdSchema,
    url: BridgeUrlSchema,
    publicJwk: BridgeIdentityJwkSchema,
    /** Free text for people: where the HSM is, who keeps it. */
    description: z.string().max(500).optional(),
  })
  .strict();
export type RegisterBridgeRequest = z.infer<typeof RegisterBridgeRequestSchema>;

export const PrincipalRefSchema = z.object({ id: z.string(), name: z.string().optional() });
export type PrincipalRef = z.infer<typeof PrincipalRefSchema>;

/** A registered bridge. `thumbprint` (RFC 7638, SHA-256) is what `keyward-bridge init` printed. */
export const BridgeSchema = z.object({
  bridgeId: BridgeIdSchema,
  url: z.string(),
  thumbprint: z.string(),
  publicJwk: z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string() }),
  description: z.string().optional(),
  registeredAt: z.string(),
  registeredBy: PrincipalRefSchema,
});
export type Bridge = z.infer<typeof BridgeSchema>;

/**
 * - online: connected, hello answered with the registered id and identity, `hsm.describe` verified;
 * - offline: no connection within the timeout;
 * - identity-mismatch: something answers at the URL, but not as the registered bridge (id or key differ);
 * - incompatible: another protocol version;
 * - error: connected, but the preflight failed (the message says why).
 */
export const BRIDGE_STATES = ["online", "offline", "identity-mismatch", "incompatible", "error"] as const;
export const BridgeStateSchema = z.enum(BRIDGE_STATES);
export type BridgeState = z.infer<typeof BridgeStateSchema>;

/** The HSM preflight (from `hsm.describe`): can this token do a ceremony, and of what? */
export const BridgePreflightSchema = z.object({
  token: z.object({ label: z.string(), manufacturer: z.string(), model: z.string(), serial: z.string() }),
  /** The BYOK wrap path the bridge will take, or null when the token can do neither (no ceremony possible). */
  byokPath: ByokPathSchema.nullable(),
  byokNote: z.string(),
  generate: z.object({ rsa: z.array(RsaSizeSchema), ec: z.array(EcCurveSchema), aes: z.array(AesSizeSchema) }),
});
export type BridgePreflight = z.infer<typeof BridgePreflightSchema>;

/** Live status; cached for a few seconds (`checkedAt` says when it was taken). */
export const BridgeStatusSchema = z.object({
  bridgeId: BridgeIdSchema,
  state: BridgeStateSchema,
  checkedAt: z.string(),
  /** Words for anything but online. */
  message: z.string().optional(),
  latencyMs: z.number().optional(),
  /** The thumbprint the bridge presented at hello (compare with the registered one on a mismatch). */
  presentedThumbprint: z.string().optional(),
  preflight: BridgePreflightSchema.optional(),
});
export type BridgeStatus = z.infer<typeof BridgeStatusSchema>;

export const BridgeWithStatusSchema = BridgeSchema.extend({ status: BridgeStatusSchema });
export type BridgeWithStatus = z.infer<typeof BridgeWithStatusSchema>;

/** `GET /portal-api/bridges`. */
export const BridgeListSchema = z.object({ bridges: z.array(BridgeWithStatusSchema) });
export type BridgeList = z.infer<typeof BridgeListSchema>;

/**
 * `GET /portal-api/bridges/:id/keys`: the token's keys from `key.list` — label, spec, flags, public JWK,
 * AES key check value. Nothing secret exists in it. `usable` says whether a ceremony can wrap it
 * (a known spec, extractable — it leaves the HSM only wrapped).
 */
export const BridgeKeysSchema = z.object({
  keys: z.array(TokenKeySchema.extend({ usable: z.boolean() })),
});
export type BridgeKeys = z.infer<typeof BridgeKeysSchema>;
