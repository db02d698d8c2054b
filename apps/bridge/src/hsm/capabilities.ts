import { generateKeyPairSync } from "node:crypto";
import pkcs11js from "pkcs11js";
import { AES_SIZES, EC_CURVES, RSA_SIZES, type DescribeResult } from "@keyward/shared";
import { CKM_AES_KEY_WRAP_KWP, CKM_AES_KEY_WRAP_PAD, CKM_RSA_AES_KEY_WRAP, MECHANISM_NAMES, mechanismHex } from "../pkcs11/constants.js";
import type { Session, Token } from "../pkcs11/token.js";
import { trimPkcs11String } from "../pkcs11/token.js";
import { ecParams } from "./ec.js";
import { probeKmsWrapping } from "./kms-probe.js";
import { probeOaepSha256Path, type OaepSha256Path } from "./oaep-decrypt.js";
import { OAEP_HASHES, oaepMechanism } from "./oaep.js";

/** What the token can do, probed once at start: the wrap path and the key generation it supports. */
export interface Capabilities {
  report: DescribeResult;
  /** The RFC 5649 mechanism id this token implements, if any. */
  kwp: number | null;
  /**
   * How this token decrypts RSA-OAEP-256 (security-domain shares), or null when it cannot. Not in the
   * describe report (its schema has no place for it); the bridge logs it at start.
   */
  oaepSha256: OaepSha256Path | null;
}

const version = (v: pkcs11js.Version) => `${v.major}.${v.minor}`;

/** OAEP hash support is only visible by trying: many tokens list the mechanism but not every hash. */
function probeOaep(s: Session): DescribeResult["byok"]["oaepHashes"] {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const key = s.p11.C_CreateObject(s.handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_ENCRYPT, value: true },
    { type: pkcs11js.CKA_MODULUS, value: Buffer.from(jwk.n ?? "", "base64url") },
    { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from(jwk.e ?? "", "base64url") },
  ]);
  try {
    return OAEP_HASHES.filter((h) => {
      try {
        s.p11.C_EncryptInit(s.handle, oaepMechanism(h.name), key);
        s.p11.C_Encrypt(s.handle, Buffer.alloc(32, 1), Buffer.alloc(256));
        return true;
      } catch {
        return false;
      }
    }).map((h) => h.name);
  } finally {
    s.p11.C_DestroyObject(s.handle, key);
  }
}

function probeCurves(s: Session): DescribeResult["generate"]["ec"] {
  return EC_CURVES.filter((crv) => {
    try {
      const pair = s.p11.C_GenerateKeyPair(s.handle, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN }, [{ type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_EC_PARAMS, value: ecParams(crv) }], [{ type: pkcs11js.CKA_TOKEN, value: false }]);
      s.p11.C_DestroyObject(s.handle, pair.privateKey);
      s.p11.C_DestroyObject(s.handle, pair.publicKey);
      return true;
    } catch {
      return false;
    }
  });
}

export async function probeCapabilities(token: Token): Promise<Capabilities> {
  const p11 = token.p11;
  const ids = p11.C_GetMechanismList(token.slot);
  const has = (m: number) => ids.includes(m);
  const info = (m: number) => (has(m) ? p11.C_GetMechanismInfo(token.slot, m) : null);
  const ti = token.tokenInfo();
  const li = p11.C_GetInfo();
  return token.withSession(async (s) => {
    const oaepHashes = has(pkcs11js.CKM_RSA_PKCS_OAEP) ? probeOaep(s) : [];
    const kwp = has(CKM_AES_KEY_WRAP_PAD) ? CKM_AES_KEY_WRAP_PAD : has(CKM_AES_KEY_WRAP_KWP) ? CKM_AES_KEY_WRAP_KWP : null;
    const twoStep = kwp !== null && has(pkcs11js.CKM_AES_KEY_GEN) && oaepHashes.includes("SHA-1");
    // pkcs11js has no parameter type for CK_RSA_AES_KEY_WRAP_PARAMS, so the one-step mechanism cannot be
    // called even where the token has it; the two-step wrap inside the token produces the same blob.
    const oneStep = { token: has(CKM_RSA_AES_KEY_WRAP), binding: false };
    const rsaInfo = info(pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN);
    const aesInfo = info(pkcs11js.CKM_AES_KEY_GEN);
    const kmsWrapping = probeKmsWrapping(s, kwp);
    const oaepSha256 = await probeOaepSha256Path(s);
    const report: DescribeResult = {
      token: {
        label: trimPkcs11String(ti.label),
        manufacturer: trimPkcs11String(ti.manufacturerID),
        model: trimPkcs11String(ti.model),
        serial: trimPkcs11String(ti.serialNumber),
        firmware: version(ti.firmwareVersion),
        hardware: version(ti.hardwareVersion),
      },
      library: { description: trimPkcs11String(li.libraryDescription), manufacturer: trimPkcs11String(li.manufacturerID), version: version(li.libraryVersion), cryptoki: version(li.cryptokiVersion) },
      mechanisms: ids.map((id) => ({ id: mechanismHex(id), name: MECHANISM_NAMES.get(id) ?? null })),
      byok: {
        path: oneStep.token && oneStep.binding ? "one-step" : twoStep ? "two-step" : null,
        oneStep,
        twoStep,
        oaepHashes,
        note: twoStep
          ? "the target is wrapped inside the token with an ephemeral AES-256 key (RFC 5649), which is wrapped with RSA-OAEP-SHA1 under the KEK and destroyed: the same blob as CKM_RSA_AES_KEY_WRAP"
          : "this token cannot produce a BYOK blob: it needs AES key wrap with padding (RFC 5649) and RSA-OAEP with SHA-1",
      },
      generate: {
        rsa: rsaInfo ? RSA_SIZES.filter((b) => b >= rsaInfo.minKeySize && b <= rsaInfo.maxKeySize) : [],
        ec: has(pkcs11js.CKM_EC_KEY_PAIR_GEN) ? probeCurves(s) : [],
        aes: aesInfo ? AES_SIZES.filter((b) => b / 8 >= aesInfo.minKeySize && b / 8 <= aesInfo.maxKeySize) : [],
      },
      kms: {
        wrappingAlgorithms: kmsWrapping,
        note: "kms.wrapMaterial offers only these; RSAES_* wrap AES keys directly, RSA_AES_KEY_WRAP_* wrap any key in two steps; RSAES_PKCS1_V1_5 is deprecated and needs an explicit opt-in",
      },
    };
    return { report, kwp, oaepSha256 };
  });
}
