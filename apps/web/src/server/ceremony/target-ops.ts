import { createPublicKey } from "node:crypto";
import {
  TargetError,
  isKekOps,
  keyScope,
  operationAllowedAt,
  type KeyBundle,
  type KeySpec,
  type OperationName,
  type RsaSize,
  type TokenKey,
} from "@keyward/shared";
import type { Principal } from "../auth/principal";
import type { TargetContext } from "../target/context";
import { HANDLERS } from "../target/dispatch";
import { checkProof, proofChallenge } from "./proof";

/** The tag that marks what a ceremony wrote into the target, so a resumed ceremony recognises its own keys. */
export const CEREMONY_TAG = "keyward-ceremony";

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");

export interface ResolvedKek {
  kid: string;
  size: RsaSize;
  publicKeyPem: string;
}

/**
 * The local target, called in-process through its own handlers. Operations done on a custodian's
 * behalf are authorized AS THAT PRINCIPAL, each time, through the target's one authorizer; lookups and
 * the proof are the portal's own checks and return nothing to anyone.
 */
export class TargetOps {
  private readonly ctx: TargetContext;
  private readonly baseUrl: string;

  constructor(ctx: TargetContext, origin: string) {
    this.ctx = ctx;
    this.baseUrl = origin;
  }

  private async call(operation: OperationName, name: string, body?: object, version = "", principal: Principal = SYSTEM): Promise<unknown> {
    const handler = HANDLERS[operation];
    if (!handler) throw new TargetError("InternalError", `${operation} is not served by this target`);
    const url = new URL(`/keys/${name}`, this.baseUrl);
    // Handlers do not authorize (the HTTP router does, and so do the callers below); they may record who asked.
    const res = await handler(this.ctx, {
      route: { operation, name, ...(version ? { version } : {}) },
      url,
      body: Buffer.from(body ? JSON.stringify(body) : ""),
      naming: { baseUrl: this.baseUrl },
      principal,
    });
    return res.body;
  }

  private async asPrincipal(principal: Principal, operation: OperationName, name: string, body?: object): Promise<unknown> {
    await this.ctx.authorizer.authorize(principal, operation, keyScope(name));
    return this.call(operation, name, body, "", principal);
  }

  authorize(principal: Principal, operation: OperationName, name: string): Promise<void> {
    return this.ctx.authorizer.authorize(principal, operation, keyScope(name));
  }

  /** The key (its latest version, or the one named), or undefined when no live key has that name. */
  async find(name: string, version = ""): Promise<KeyBundle | undefined> {
    try {
      return (await this.call("getKey", name, undefined, version)) as KeyBundle;
    } catch (err) {
      if (err instanceof TargetError && err.code === "KeyNotFound") return undefined;
      throw err;
    }
  }

  async isDeleted(name: string): Promise<boolean> {
    try {
      await this.call("getDeletedKey", name);
      return true;
    } catch (err) {
      if (err instanceof TargetError && (err.code === "KeyNotFound" || err.code === "NotFound")) return false;
      throw err;
    }
  }

  /** A KEK must be an RSA key that can do nothing but import, enabled and inside its validity window. */
  kekOf(bundle: KeyBundle, name: string): ResolvedKek {
    const { key, attributes } = bundle;
    if (!key.kty.startsWith("RSA") || !key.n || !key.e) throw new TargetError("BadParameter", `key ${name} is not an RSA key, so it cannot be a KEK`, "KekInvalid");
    if (!isKekOps(key.key_ops)) {
      throw new TargetError("BadParameter", `key ${name} is not import-only (its key_ops are ${JSON.stringify(key.key_ops)}); a KEK's key_ops must be exactly ["import"]`, "KekNotImportOnly");
    }
    const allowed = operationAllowedAt("import", { enabled: attributes.enabled, nbf: attributes.nbf, exp: attributes.exp }, this.ctx.now());
    if (!allowed.ok) throw new TargetError("BadParameter", `the KEK ${name} cannot be used: ${allowed.message}`, "KekNotUsable");
    const size = Buffer.from(key.n, "base64url").length * 8;
    if (size !== 2048 && size !== 3072 && size !== 4096) throw new TargetError("BadParameter", `the KEK ${name} is RSA-${size}; use 2048, 3072 or 4096`, "KekInvalid");
    const publicKeyPem = createPublicKey({ key: { kty: "RSA", n: key.n, e: key.e }, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
    return { kid: key.kid, size, publicKeyPem };
  }

  /** Create the ceremony's import-only KEK, or find the one it created before the portal stopped. */
  async createKek(principal: Principal, name: string, size: RsaSize, ceremonyId: string): Promise<ResolvedKek> {
    await this.authorize(principal, "createKey", name);
    const existing = await this.find(name);
    if (existing?.tags?.[CEREMONY_TAG] === ceremonyId) return this.kekOf(existing, name);
    if (existing) throw new TargetError("Conflict", `a key named ${name} appeared in the target after the ceremony started; the KEK was not created`);
    const bundle = (await this.asPrincipal(principal, "createKey", name, { kty: "RSA-HSM", key_size: size, key_ops: ["import"], tags: { [CEREMONY_TAG]: ceremonyId } })) as KeyBundle;
    return this.kekOf(bundle, name);
  }

  /** Import a `.byok` as the principal; a key this ceremony already imported is found, not imported twice. */
  async importByok(principal: Principal, name: string, spec: KeySpec, byok: string, ceremonyId: string): Promise<string> {
    await this.authorize(principal, "importKey", name);
    const existing = await this.find(name);
    if (existing?.tags?.[CEREMONY_TAG] === ceremonyId) return existing.key.kid;
    if (existing) throw new TargetError("Conflict", `a key named ${name} appeared in the target after the ceremony started; nothing was imported`);
    const key = { kty: `${spec.kty}-HSM`, key_hsm: b64u(new TextEncoder().encode(byok)), ...(spec.kty === "EC" ? { crv: spec.crv } : {}) };
    const bundle = (await this.asPrincipal(principal, "importKey", name, { key, tags: { [CEREMONY_TAG]: ceremonyId } })) as KeyBundle;
    return bundle.key.kid;
  }

  /** Sign or encrypt a fresh challenge with the imported key and check it against what the HSM reported. */
  async prove(name: string, kid: string, spec: KeySpec, hsm: TokenKey): Promise<string> {
    const version = kid.split("/").pop() ?? "";
    const c = proofChallenge(spec);
    const out =
      c.kind === "encrypt"
        ? ((await this.call("encrypt", name, { alg: c.alg, value: b64u(c.plaintext), iv: b64u(c.iv) }, version)) as { value: string })
        : ((await this.call("sign", name, { alg: c.alg, value: b64u(c.digest) }, version)) as { value: string });
    return checkProof(name, c, Buffer.from(out.value, "base64url"), hsm);
  }
}

/** Who the handlers see for the portal's own lookups (they do not authorize; the callers above do). */
const SYSTEM: Principal = { id: "keyward-portal", kind: "app", issuer: "keyward-portal", subject: "keyward-portal", groups: [] };
