import {
  AES_ENCRYPTION_ALGORITHMS,
  AES_KEY_WRAP_ALGORITHMS,
  EC_SIGNATURE_ALGORITHMS,
  RSA_ENCRYPTION_ALGORITHMS,
  RSA_SIGNATURE_ALGORITHMS,
} from "@keyward/shared";
import type { Algorithm } from "@keyward/shared";

/* Type guards over shared's algorithm lists, so a dispatcher can narrow `Algorithm` without casts. */

const member =
  <T extends Algorithm>(list: readonly T[]) =>
  (alg: Algorithm): alg is T =>
    (list as readonly Algorithm[]).includes(alg);

export const isRsaEncryption = member(RSA_ENCRYPTION_ALGORITHMS);
export const isRsaSignature = member(RSA_SIGNATURE_ALGORITHMS);
export const isEcSignature = member(EC_SIGNATURE_ALGORITHMS);
export const isAesEncryption = member(AES_ENCRYPTION_ALGORITHMS);
export const isAesKeyWrap = member(AES_KEY_WRAP_ALGORITHMS);
