import { SecurityDomainError } from "./errors.js";

/**
 * Shamir secret sharing over GF(257), one polynomial per secret byte, in the share format of Azure
 * Managed HSM's security domain (Azure CLI `security_domain/byte_shares.py`, `shared_secret.py`):
 *
 * - for each secret byte s, a polynomial of degree m−1 with coefficients [c0 … c(m−2), s] (c0 the
 *   highest degree, s the constant term), evaluated by Horner at x = 1 … n;
 * - each point encoded as one uint16 `(x << 9) | v` (v ∈ [0, 256] needs 9 bits, x the top 7);
 * - a share is the uint16 array of its points, one per secret byte, little-endian (the CLI reads it
 *   with host byte order, i.e. little-endian on every platform it runs on): 2 bytes per secret byte.
 *
 * Two deliberate differences from the CLI's own splitting code (neither changes the format):
 * the CLI draws one set of random coefficients and reuses it for every byte (so any single share
 * reveals the differences between secret bytes); here every byte gets fresh coefficients. And the CLI
 * maps 16 random bits to a coefficient with a small bias; here the draw is rejection-sampled to be uniform.
 */

export const SHAMIR_PRIME = 257;
/** What the split accepts (issue 5: 2 ≤ m ≤ n ≤ 10; Managed HSM's quorum limits). */
export const MIN_REQUIRED_SHARES = 2;
export const MAX_SHARES = 10;
/** What the encoding can carry: x is 7 bits; the CLI caps it at 126. */
export const MAX_SHARE_NUMBER = 126;
/** Far above a domain key (32 bytes); keeps one getRandomValues call under its 64 KiB limit. */
export const MAX_SECRET_BYTES = 1024;

/** Fills `bytes` with random bytes (the shape of `crypto.getRandomValues`). */
export type FillRandom = (bytes: Uint8Array) => Uint8Array;
const defaultRandom: FillRandom = (bytes) => globalThis.crypto.getRandomValues(bytes);

export interface SplitOptions {
  /** n: how many shares to make. */
  shares: number;
  /** m: how many shares recover the secret. */
  required: number;
  random?: FillRandom;
}

const mod = (a: number): number => ((a % SHAMIR_PRIME) + SHAMIR_PRIME) % SHAMIR_PRIME;

/** The multiplicative inverse in GF(257), by Fermat: a^255 (a ≠ 0). */
function inverse(a: number): number {
  let result = 1;
  for (let i = 0; i < SHAMIR_PRIME - 2; i++) result = (result * a) % SHAMIR_PRIME;
  return result;
}

/** Indexing that cannot silently read past the end. */
function at(values: ArrayLike<number>, index: number): number {
  const value = values[index];
  if (value === undefined) throw new RangeError(`index ${index} is outside 0…${values.length - 1}`);
  return value;
}

const isCount = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/** 65535 = 255 · 257: 16-bit draws below it are uniform modulo 257. */
const UNIFORM_LIMIT = 255 * SHAMIR_PRIME;

/** Uniform coefficients in [0, 256], drawn 16 bits (little-endian) at a time, rejecting 65535. */
function drawCoefficients(count: number, random: FillRandom): number[] {
  const word = (bytes: Uint8Array, offset: number) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(offset, true);
  const batch = random(new Uint8Array(2 * count));
  return Array.from({ length: count }, (_, i) => {
    let draw = word(batch, 2 * i);
    while (draw >= UNIFORM_LIMIT) draw = word(random(new Uint8Array(2)), 0);
    return draw % SHAMIR_PRIME;
  });
}

/** Splits `secret` into `shares` encoded shares, any `required` of which recover it. */
export function splitSecret(secret: Uint8Array, options: SplitOptions): Uint8Array[] {
  const { shares: n, required: m, random = defaultRandom } = options;
  if (!isCount(m, MIN_REQUIRED_SHARES, MAX_SHARES)) {
    throw new SecurityDomainError("SD_SPLIT_PARAMETERS", `the quorum must be a whole number from ${MIN_REQUIRED_SHARES} to ${MAX_SHARES}; got ${m}`);
  }
  if (!isCount(n, MIN_REQUIRED_SHARES, MAX_SHARES)) {
    throw new SecurityDomainError("SD_SPLIT_PARAMETERS", `the number of shares must be a whole number from ${MIN_REQUIRED_SHARES} to ${MAX_SHARES}; got ${n}`);
  }
  if (m > n) {
    throw new SecurityDomainError("SD_SPLIT_PARAMETERS", `the quorum (${m}) cannot be larger than the number of shares (${n})`);
  }
  if (secret.length === 0 || secret.length > MAX_SECRET_BYTES) {
    throw new SecurityDomainError("SD_SPLIT_PARAMETERS", `the secret must be 1 to ${MAX_SECRET_BYTES} bytes; got ${secret.length}`);
  }
  const degree = m - 1;
  const coefficients = drawCoefficients(degree * secret.length, random);
  const out = Array.from({ length: n }, () => new Uint8Array(2 * secret.length));
  const views = out.map((share) => new DataView(share.buffer));
  secret.forEach((byte, j) => {
    const polynomial = coefficients.slice(j * degree, (j + 1) * degree);
    views.forEach((view, index) => {
      const x = index + 1;
      // Horner, highest degree first, the secret byte last (the constant term).
      const v = [...polynomial, byte].reduce((acc, c) => (acc * x + c) % SHAMIR_PRIME, 0);
      view.setUint16(2 * j, (x << 9) | v, true);
    });
  });
  return out;
}

interface DecodedShare {
  x: number;
  values: number[];
}

/** Decodes one share; `position` (1-based, in the caller's list) only names it in messages. */
function decodeShare(share: Uint8Array, position: number): DecodedShare {
  if (share.length === 0 || share.length % 2 !== 0) {
    throw new SecurityDomainError("SD_SHARE_MALFORMED", `share ${position} is ${share.length} bytes; a share is 2 bytes per secret byte`);
  }
  const view = new DataView(share.buffer, share.byteOffset, share.byteLength);
  const values: number[] = [];
  let x = -1;
  for (let j = 0; j < share.length / 2; j++) {
    const word = view.getUint16(2 * j, true);
    const wordX = word >> 9;
    const v = word & 0x1ff;
    if (wordX === 0 || wordX > MAX_SHARE_NUMBER) {
      throw new SecurityDomainError("SD_SHARE_MALFORMED", `share ${position} has share number ${wordX}; share numbers run from 1 to ${MAX_SHARE_NUMBER}`);
    }
    if (x !== -1 && wordX !== x) {
      throw new SecurityDomainError("SD_SHARE_MALFORMED", `share ${position} mixes share numbers ${x} and ${wordX}`);
    }
    if (v >= SHAMIR_PRIME) {
      throw new SecurityDomainError("SD_SHARE_MALFORMED", `share ${position} has a value outside GF(257) at byte ${j}`);
    }
    x = wordX;
    values.push(v);
  }
  return { x, values };
}

/** The share number (x) an encoded share carries, e.g. to match it to its custodian. */
export function shareNumber(share: Uint8Array): number {
  return decodeShare(share, 1).x;
}

/** Each point's values with its Lagrange weight for evaluating, at `atX`, the polynomial through the points. */
function weighted(points: readonly DecodedShare[], atX: number): { weight: number; values: number[] }[] {
  return points.map((pi) => {
    let numerator = 1;
    let denominator = 1;
    for (const pj of points) {
      if (pj === pi) continue;
      numerator = (numerator * mod(atX - pj.x)) % SHAMIR_PRIME;
      denominator = (denominator * mod(pi.x - pj.x)) % SHAMIR_PRIME;
    }
    return { weight: (numerator * inverse(denominator)) % SHAMIR_PRIME, values: pi.values };
  });
}

const interpolate = (terms: readonly { weight: number; values: number[] }[], byteIndex: number): number =>
  terms.reduce((sum, term) => (sum + term.weight * at(term.values, byteIndex)) % SHAMIR_PRIME, 0);

/**
 * Recovers the secret from at least `required` encoded shares (in any order). The first `required`
 * shares determine it, as in the CLI; every further share must lie on the same polynomials, so a share
 * from another split (another domain, an older download) is refused when more than m are given.
 */
export function combineShares(shares: readonly Uint8Array[], required: number): Uint8Array {
  if (!isCount(required, MIN_REQUIRED_SHARES, MAX_SHARES)) {
    throw new SecurityDomainError("SD_SPLIT_PARAMETERS", `the quorum must be a whole number from ${MIN_REQUIRED_SHARES} to ${MAX_SHARES}; got ${required}`);
  }
  if (shares.length < required) {
    throw new SecurityDomainError("SD_TOO_FEW_SHARES", `recovery needs ${required} shares; ${shares.length} given`);
  }
  const decoded = shares.map((share, i) => decodeShare(share, i + 1));
  const [reference] = decoded;
  const length = reference ? reference.values.length : 0;
  decoded.forEach((share, i) => {
    if (share.values.length !== length) {
      throw new SecurityDomainError(
        "SD_SHARE_LENGTH",
        `share ${i + 1} is for a ${share.values.length}-byte secret but share 1 is for a ${length}-byte secret`,
      );
    }
    const first = decoded.findIndex((other) => other.x === share.x);
    if (first !== i) {
      throw new SecurityDomainError("SD_DUPLICATE_SHARE", `shares ${first + 1} and ${i + 1} are both share number ${share.x}`);
    }
  });
  const basis = decoded.slice(0, required);
  const atZero = weighted(basis, 0);
  const checks = decoded.slice(required).map((extra) => ({ extra, terms: weighted(basis, extra.x) }));
  const secret = new Uint8Array(length);
  for (let j = 0; j < length; j++) {
    for (const { extra, terms } of checks) {
      if (interpolate(terms, j) !== at(extra.values, j)) {
        throw new SecurityDomainError(
          "SD_SHARES_INCONSISTENT",
          `share number ${extra.x} does not fit the others: the shares come from different splits, or one is damaged`,
        );
      }
    }
    const value = interpolate(atZero, j);
    if (value > 0xff) {
      throw new SecurityDomainError("SD_SHARES_INCONSISTENT", "the shares do not combine to a secret: they come from different splits, or one is damaged");
    }
    secret[j] = value;
  }
  return secret;
}
