import type { SigningKey } from "../signing-key";
import type { IssuerState } from "./state";

export interface TokenLifetimes {
  accessTokenSeconds: number;
  idTokenSeconds: number;
  refreshTokenSeconds: number;
  authorizationCodeSeconds: number;
  sessionSeconds: number;
}

export const DEFAULT_LIFETIMES: TokenLifetimes = {
  accessTokenSeconds: 3600,
  idTokenSeconds: 3600,
  refreshTokenSeconds: 24 * 3600,
  authorizationCodeSeconds: 60,
  sessionSeconds: 8 * 3600,
};

/** What every issuer endpoint needs: configuration, the signing key, the in-memory state and a clock. */
export interface IssuerContext {
  /** The portal's public origin, e.g. https://127.0.0.1:3000. */
  origin: string;
  /** `${origin}/oidc` — the `iss` of every token and the MSAL authority. */
  issuer: string;
  /** The portal's own API, the audience of tokens that ask for no other resource. */
  resourceId: string;
  /** Every audience a token may be issued for. */
  resources: readonly string[];
  lifetimes: TokenLifetimes;
  dataDir: string;
  key: SigningKey;
  state: IssuerState;
  /** Milliseconds since the epoch; injectable so tests can freeze and advance time. */
  now: () => number;
}

export const nowSeconds = (ctx: IssuerContext) => Math.floor(ctx.now() / 1000);
