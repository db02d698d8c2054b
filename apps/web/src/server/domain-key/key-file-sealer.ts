import type { DomainKeySealer } from "./sealer";

/**
 * Development only: the domain key is kept as is in the domain key file, protected by nothing but
 * the file's mode (0600, checked on every start). Production seals it with `pkcs11Sealer`.
 */
export function keyFileSealer(): DomainKeySealer {
  return {
    kind: "key-file",
    seal: async (domainKey) => Buffer.from(domainKey),
    unseal: async (sealed) => Buffer.from(sealed),
  };
}
