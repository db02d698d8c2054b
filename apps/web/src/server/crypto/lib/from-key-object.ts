import type { JsonWebKey, KeyObject } from "node:crypto";
import type { EcCurve } from "@keyward/shared";
import type { AsymmetricKeyMaterial } from "../material";
import { fromBase64url, toBase64url } from "./bytes";
import { CURVES } from "./curves";

function field(jwk: JsonWebKey, name: string): string {
  const value = jwk[name];
  if (typeof value !== "string" || value.length === 0) throw new Error(`crypto: exported JWK has no ${name}`);
  return value;
}

/** EC fields at their fixed length, so the same key always serializes the same way. */
function fixed(value: string, bytes: number): string {
  const raw = fromBase64url(value);
  return raw.length === bytes ? value : toBase64url(Buffer.concat([Buffer.alloc(bytes - raw.length), raw]));
}

/**
 * Key material from an OpenSSL private key already known to be RSA or EC on `crv`. Only private
 * keys made or parsed here reach this, so a missing field is a bug, not a caller error.
 */
export function materialFromKeyObject(key: KeyObject, crv?: EcCurve): AsymmetricKeyMaterial {
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "rsa") {
    const f = (name: string) => field(jwk, name);
    return { kty: "RSA", n: f("n"), e: f("e"), d: f("d"), p: f("p"), q: f("q"), dp: f("dp"), dq: f("dq"), qi: f("qi") };
  }
  if (key.asymmetricKeyType === "ec" && crv !== undefined) {
    const bytes = CURVES[crv].bytes;
    return { kty: "EC", crv, x: fixed(field(jwk, "x"), bytes), y: fixed(field(jwk, "y"), bytes), d: fixed(field(jwk, "d"), bytes) };
  }
  throw new Error(`crypto: cannot express a ${key.asymmetricKeyType ?? "symmetric"} key as material`);
}
