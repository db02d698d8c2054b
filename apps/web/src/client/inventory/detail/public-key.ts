import { familyOf, type KeyBundleOut } from "@keyward/shared";

/** The public half of a key as a JWK: only the fields that are public by definition, never more. */
export type PublicJwk = { kty: "RSA"; kid: string; n: string; e: string } | { kty: "EC"; kid: string; crv: string; x: string; y: string };

export function publicJwk(key: KeyBundleOut["key"]): PublicJwk | undefined {
  const family = familyOf(key.kty);
  if (family === "RSA" && key.n && key.e) return { kty: "RSA", kid: key.kid, n: key.n, e: key.e };
  if (family === "EC" && key.crv && key.x && key.y) return { kty: "EC", kid: key.kid, crv: key.crv, x: key.x, y: key.y };
  return undefined;
}

// secp256k1 is not a WebCrypto curve; its SPKI is this fixed DER prefix (id-ecPublicKey, secp256k1, BIT STRING) + 04 || x || y.
const SECP256K1_SPKI_PREFIX = "3056301006072a8648ce3d020106052b8104000a034200";

const fromBase64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

async function spki(jwk: PublicJwk, subtle: SubtleCrypto): Promise<Uint8Array> {
  if (jwk.kty === "EC" && jwk.crv === "P-256K") {
    return new Uint8Array([...fromHex(SECP256K1_SPKI_PREFIX), 4, ...fromBase64Url(jwk.x), ...fromBase64Url(jwk.y)]);
  }
  // The algorithm only labels the imported key; SPKI export is the same for every RSA or EC use.
  const imported =
    jwk.kty === "RSA"
      ? await subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, ext: true }, { name: "RSA-PSS", hash: "SHA-256" }, true, ["verify"])
      : await subtle.importKey("jwk", { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true }, { name: "ECDSA", namedCurve: jwk.crv }, true, ["verify"]);
  return new Uint8Array(await subtle.exportKey("spki", imported));
}

/** SubjectPublicKeyInfo in PEM, converted in the browser from the JWK Key Vault returns. */
export async function publicKeyPem(jwk: PublicJwk, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<string> {
  const der = await spki(jwk, subtle);
  const base64 = btoa(String.fromCharCode(...der));
  const lines = base64.match(/.{1,64}/g) ?? [];
  return ["-----BEGIN PUBLIC KEY-----", ...lines, "-----END PUBLIC KEY-----", ""].join("\n");
}

/** Hands `text` to the browser as a file download. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
