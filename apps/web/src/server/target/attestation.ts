import { TargetError, type AttestationConfig } from "@keyward/shared";
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from "jose";

export interface Attestation {
  iss: string;
  claims: JWTPayload;
}

export interface AttestationVerifier {
  verify(token: string): Promise<Attestation>;
}

const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
const normalise = (iss: string) => iss.replace(/\/+$/, "");

/** Verify attestation tokens against the configured authorities only; anything else is a 403. */
export function attestationVerifier(config: AttestationConfig, now: () => number = Date.now): AttestationVerifier {
  const keys = new Map<string, JWTVerifyGetKey>();
  for (const a of config.authorities) {
    keys.set(normalise(a.issuer), "jwks" in a ? createLocalJWKSet(a.jwks as unknown as JSONWebKeySet) : createRemoteJWKSet(new URL(a.jwksUri)));
  }
  const refuse = (message: string) => new TargetError("Forbidden", message, "AttestationInvalid");
  return {
    async verify(token) {
      let iss: string | undefined;
      try {
        iss = decodeJwt(token).iss;
      } catch {
        throw refuse("the target attestation is not a JWT");
      }
      const getKey = iss ? keys.get(normalise(iss)) : undefined;
      if (!iss || !getKey) throw refuse("the attestation was not issued by an authority this target trusts");
      try {
        const { payload } = await jwtVerify(token, getKey, { algorithms: ALGORITHMS, issuer: iss, requiredClaims: ["exp"], currentDate: new Date(now()), clockTolerance: 60 });
        return { iss, claims: payload };
      } catch {
        throw refuse("the attestation token's signature or validity period does not check out");
      }
    },
  };
}
