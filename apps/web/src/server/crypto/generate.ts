import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { KeySpec } from "@keyward/shared";
import type { KeyMaterial } from "./material";
import { toBase64url } from "./lib/bytes";
import { CURVES } from "./lib/curves";
import { materialFromKeyObject } from "./lib/from-key-object";

const generatePair = promisify(generateKeyPair);

/**
 * New key material for a spec from shared's KeySpecSchema (RSA 2048/3072/4096 with e = 65537, EC on
 * P-256/P-256K/P-384/P-521, AES 128/192/256). Asynchronous because RSA-4096 generation takes
 * around a second: it runs on libuv's thread pool instead of stalling every request.
 */
export async function generateKeyMaterial(spec: KeySpec): Promise<KeyMaterial> {
  switch (spec.kty) {
    case "RSA": {
      const { privateKey } = await generatePair("rsa", { modulusLength: spec.size, publicExponent: 0x10001 });
      return materialFromKeyObject(privateKey);
    }
    case "EC": {
      const { privateKey } = await generatePair("ec", { namedCurve: CURVES[spec.crv].openssl });
      return materialFromKeyObject(privateKey, spec.crv);
    }
    case "oct":
      return { kty: "oct", k: toBase64url(randomBytes(spec.size / 8)) };
  }
}
