import { readFileSync } from "node:fs";
import type { JWK } from "jose";

/** Where the global setup leaves the run's state for the test workers (an environment variable survives the fork). */
export const STATE_ENV = "KEYWARD_E2E_STATE";

export interface Credentials {
  username: string;
  password: string;
}

/** What the tests may know about the product the global setup started. */
export interface ProductState {
  /** The run's KEYWARD_HOME (a fresh temporary directory). */
  home: string;
  /** The portal's data directory (`<home>/portal`). */
  dataDir: string;
  /** https://localhost:<port> — the portal UI, the local target, the embedded OIDC issuer. */
  origin: string;
  /** The run's local CA (PEM file). */
  caPath: string;
  admin: Credentials;
  /** The `keyward-cli` confidential client (Crypto User at /). */
  cli: { clientId: string; clientSecret: string };
  /** The portal's command-signing private JWK file: what a test uses to send its own signed commands. */
  commandKeyFile: string;
  /** `iss` of portal commands, pinned by the bridge. */
  commandIssuer: string;
  /** `keyward-bridge dev-custodians` homes (`<dir>/1…3`), whose certificates the security domain was downloaded to. */
  custodiansDir: string;
  bridge: {
    url: string;
    bridgeId: string;
    /** The bridge's identity key as the portal pins it: `kid` is the thumbprint `init` prints. */
    identity: { kid: string; jwk: JWK };
    home: string;
  };
  /** apps/web — where the users CLI runs. */
  webDir: string;
}

let cached: ProductState | undefined;

/** The running product; throws outside a run started by the global setup. */
export function productState(): ProductState {
  if (cached) return cached;
  const file = process.env[STATE_ENV];
  if (!file) throw new Error(`${STATE_ENV} is not set: run the e2e tests with "npx playwright test" in e2e/, which starts the product`);
  cached = JSON.parse(readFileSync(file, "utf8")) as ProductState;
  return cached;
}
