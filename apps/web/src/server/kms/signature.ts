import { createHmac, timingSafeEqual } from "node:crypto";
import { KmsError, RPC_SIGNATURE_METHOD, RPC_SIGNATURE_VERSION, invalidParameter, missingParameter, rpcStringToSign } from "@keyward/shared";
import type { KmsAccessKey } from "./access-key";

/** The cloud's window: a request is accepted within 15 minutes of its Timestamp, and its nonce once in that window. */
export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;
const MAX_REMEMBERED_NONCES = 100_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export interface SignatureCheck {
  method: string;
  params: Readonly<Record<string, string>>;
}

/**
 * RPC signature version 1.0 (HMAC-SHA1), as the official clients compute it over every query and
 * form parameter. Order: the signature first (so that strangers cannot fill the nonce memory), then
 * the timestamp window, then the nonce. Requests are checked against the wall clock, not the domain
 * clock tests move for expiries.
 */
export class RpcSignatureVerifier {
  private readonly nonces = new Map<string, number>();
  private readonly accessKey: KmsAccessKey;
  private readonly wallClock: () => number;

  constructor(accessKey: KmsAccessKey, wallClock: () => number = Date.now) {
    this.accessKey = accessKey;
    this.wallClock = wallClock;
  }

  verify({ method, params }: SignatureCheck): void {
    for (const name of ["AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce"]) {
      if (!params[name]) throw missingParameter(name);
    }
    if (!params.Timestamp) throw new KmsError("IllegalTimestamp", 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.');
    if (params.SignatureMethod !== RPC_SIGNATURE_METHOD || params.SignatureVersion !== RPC_SIGNATURE_VERSION) {
      throw new KmsError("IncompleteSignature", `The request signature does not conform to Alibaba Cloud standards: this endpoint takes ${RPC_SIGNATURE_METHOD} signature version ${RPC_SIGNATURE_VERSION}.`);
    }
    if (params.SecurityToken) throw invalidParameter("SecurityToken", "This endpoint takes AccessKey pairs only, not STS tokens.");
    if (params.AccessKeyId !== this.accessKey.accessKeyId) throw new KmsError("InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    const expected = createHmac("sha1", `${this.accessKey.accessKeySecret}&`).update(rpcStringToSign(method, params)).digest();
    const given = Buffer.from(params.Signature ?? "", "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new KmsError("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    }
    const timestamp = params.Timestamp;
    const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(at)) throw new KmsError("IllegalTimestamp", 'The parameter "Timestamp" must be UTC in ISO 8601, e.g. 2026-01-01T12:00:00Z.');
    const now = this.wallClock();
    if (Math.abs(now - at) > TIMESTAMP_WINDOW_MS) throw new KmsError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired: it is more than 15 minutes from the server's time.");
    this.claimNonce(params.SignatureNonce ?? "", now);
  }

  private claimNonce(nonce: string, now: number): void {
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen > now) throw new KmsError("SignatureNonceUsed", "Specified signature nonce was used already.");
    if (this.nonces.size >= MAX_REMEMBERED_NONCES) {
      for (const [old, until] of this.nonces) if (until <= now) this.nonces.delete(old);
      // Still full of live nonces: forget the oldest (the timestamp window still bounds a replay).
      if (this.nonces.size >= MAX_REMEMBERED_NONCES) this.nonces.delete(this.nonces.keys().next().value as string);
    }
    // Long enough to cover any timestamp the window still accepts.
    this.nonces.set(nonce, now + 2 * TIMESTAMP_WINDOW_MS);
  }
}
