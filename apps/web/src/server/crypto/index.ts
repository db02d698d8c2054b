/*
 * Key material operations for the local target: pure functions, no storage, no HTTP. Errors meant
 * for callers are TargetError 400 BadParameter with an inner code from CRYPTO_ERROR_CODES.
 */
export { CRYPTO_ERROR_CODES, badParameter } from "./errors";
export type { CryptoErrorCode } from "./errors";
export { KeyMaterialSchema, keySpecOf } from "./material";
export type { AsymmetricKeyMaterial, EcKeyMaterial, KeyMaterial, OctKeyMaterial, RsaKeyMaterial } from "./material";
export { generateKeyMaterial } from "./generate";
export { materialFromJwk } from "./jwk-import";
export { BYOK_KEY_TYPES, importByok, readByok } from "./byok-import";
export type { ByokDeclaration, ByokKeyType, ImportedKey } from "./byok-import";
export { decrypt, decryptOffLoop, encrypt, sign, signOffLoop, unwrapKey, unwrapKeyOffLoop, verify, wrapKey } from "./operations";
export type { DecryptParameters, EncryptParameters, EncryptResult } from "./operations";
export { RSA_AES_KEY_WRAP_ALGORITHMS, releaseKeyMaterial, unwrapRsaAes } from "./release";
export type { RsaAesKeyWrapAlgorithm, RsaAesUnwrapResult } from "./release";
export { publicJwkOf, spkiPemOf } from "./public-key";
export type { EcPublicJwk, PublicJwk, RsaPublicJwk } from "./public-key";
export { RNG_MAX_BYTES, rng } from "./random";
