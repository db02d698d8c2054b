export type SealerKind = "key-file" | "pkcs11";

/**
 * How the domain key is protected at rest. `seal` runs once, when the instance first starts;
 * `unseal` on every start. What it returns is stored in the domain key file by `openDomainKey`.
 */
export interface DomainKeySealer {
  readonly kind: SealerKind;
  seal(domainKey: Uint8Array): Promise<Buffer>;
  unseal(sealed: Uint8Array): Promise<Buffer>;
}
