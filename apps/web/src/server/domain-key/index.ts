export { DOMAIN_KEY_BYTES, domainKeyFromBytes, generateDomainKeyBytes, type DomainKey } from "./domain-key";
export { DOMAIN_KEY_FILE_NAME, domainKeyFilePath, installDomainKey, openDomainKey, readDomainKey, type OpenDomainKeyOptions } from "./domain-key-file";
export { DomainKeyHolder } from "./holder";
export { DOMAIN_KEY_ERROR_CODES, DomainKeyError, type DomainKeyErrorCode } from "./errors";
export { keyFileSealer } from "./key-file-sealer";
export {
  MaterialDecryptionError,
  decryptMaterial,
  encryptMaterial,
  materialAad,
  materialCipher,
  type MaterialCipher,
} from "./material";
export type { DomainKeySealer, SealerKind } from "./sealer";
// pkcs11Sealer is imported from "./pkcs11-sealer" directly: it loads a native module that the
// key-file setup must not need.
export { writeNewPrivateFile } from "./private-file";
