import type { DomainKey } from "./domain-key";

/**
 * The instance's domain key, which a target may not have yet: one whose security domain is recorded
 * but whose domain key file is gone waits for a restore (an upload of the security domain). Everything
 * that encrypts under the domain key reads it through `view()` at the moment of use, so a restore makes
 * the running process whole again without a restart.
 */
export class DomainKeyHolder {
  private key: DomainKey | undefined;
  private readonly absent: () => Error;

  /** `absent` is what a use of the missing key throws: words for the caller, never about the key. */
  constructor(key: DomainKey | undefined, absent: () => Error) {
    this.key = key;
    this.absent = absent;
  }

  get loaded(): boolean {
    return this.key !== undefined;
  }

  current(): DomainKey {
    if (!this.key) throw this.absent();
    return this.key;
  }

  /** The restored key. A holder never changes its key once it has one: a target has one domain. */
  load(key: DomainKey): void {
    if (this.key && this.key.fingerprint !== key.fingerprint) throw new Error("the domain key of a running target cannot be replaced");
    this.key = key;
  }

  /** A DomainKey that reads this holder on every use (and throws `absent` while it is empty). */
  view(): DomainKey {
    const current = () => this.current();
    return {
      get secret() {
        return current().secret;
      },
      get fingerprint() {
        return current().fingerprint;
      },
    };
  }
}
