import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../byok/test-vectors/hex.js";
import { SecurityDomainError } from "./errors.js";
import { combineShares, shareNumber, splitSecret, type FillRandom } from "./shamir.js";
import vectors from "./test-vectors/shamir.json" with { type: "json" };

/** A random source that hands out these uint16 words (little-endian), then fails loudly. */
function words(...values: number[]): FillRandom {
  const bytes = values.flatMap((w) => [w & 0xff, w >> 8]);
  let offset = 0;
  return (out) => {
    if (offset + out.length > bytes.length) throw new Error("the test's random words ran out");
    out.set(bytes.slice(offset, offset + out.length));
    offset += out.length;
    return out;
  };
}

/** Every k-element subset of [0, n). */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...subsets(n - 1, k - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, k)];
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof SecurityDomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

/** A share encoded directly from (x, values), for malformed and forged inputs. */
function encode(x: number, values: number[]): Uint8Array {
  return Uint8Array.from(values.flatMap((v) => [((x << 9) | v) & 0xff, ((x << 9) | v) >> 8]));
}

const random32 = () => globalThis.crypto.getRandomValues(new Uint8Array(32));

describe("splitSecret: known answers", () => {
  for (const vector of vectors.vectors) {
    it(vector.name, () => {
      const shares = splitSecret(fromHex(vector.secretHex), {
        shares: vector.shares,
        required: vector.required,
        random: words(...vector.coefficients),
      });
      expect(shares.map(toHex)).toEqual(vector.sharesHex);
    });

    it(`${vector.name}: every quorum of the listed shares recombines`, () => {
      for (const subset of subsets(vector.shares, vector.required)) {
        const chosen = subset.map((i) => fromHex(vector.sharesHex[i]!));
        expect(toHex(combineShares(chosen, vector.required))).toBe(vector.secretHex);
      }
    });
  }

  it("redraws the one 16-bit value (65535) that would bias a coefficient", () => {
    // 0xffff is refused, then 100 is used: the shares equal the first vector's byte 0.
    const shares = splitSecret(fromHex("2a"), { shares: 3, required: 2, random: words(0xffff, 100) });
    expect(shares.map(toHex)).toEqual(["8e02", "f204", "5506"]);
  });

  it("reduces other draws modulo 257 (257 + 100 gives coefficient 100)", () => {
    const shares = splitSecret(fromHex("2a"), { shares: 3, required: 2, random: words(357) });
    expect(shares.map(toHex)).toEqual(["8e02", "f204", "5506"]);
  });
});

describe("splitSecret / combineShares: properties", () => {
  it("every m-subset of n recombines, for every 2 ≤ m ≤ n ≤ 10, in any order", () => {
    for (let n = 2; n <= 10; n++) {
      for (let m = 2; m <= n; m++) {
        const secret = random32();
        const shares = splitSecret(secret, { shares: n, required: m });
        expect(shares).toHaveLength(n);
        for (const subset of subsets(n, m)) {
          const chosen = subset.map((i) => shares[i]!);
          expect(combineShares(chosen, m)).toEqual(secret);
          expect(combineShares([...chosen].reverse(), m)).toEqual(secret);
        }
        // More than m consistent shares are accepted too (and cross-checked).
        expect(combineShares(shares, m)).toEqual(secret);
      }
    }
  });

  it("m − 1 shares are consistent with any other secret (they determine nothing)", () => {
    // For each m−1 subset, build the one polynomial per byte through those points and (0, other
    // byte); its value at an unused x is a share that, with the m−1 real ones, yields the other secret.
    for (const [m, n] of [[2, 3], [3, 5], [4, 4], [5, 10]] as const) {
      const secret = random32();
      const other = random32();
      const shares = splitSecret(secret, { shares: n, required: m });
      for (const subset of subsets(n, m - 1)) {
        const points = subset.map((i) => ({ x: i + 1, share: shares[i]! }));
        const unused = Array.from({ length: n + 1 }, (_, x) => x + 1).find((x) => !points.some((p) => p.x === x))!;
        const forged = Array.from(other, (byte, j) => {
          const known = [{ x: 0, v: byte }, ...points.map((p) => ({ x: p.x, v: (p.share[2 * j]! | (p.share[2 * j + 1]! << 8)) & 0x1ff }))];
          return lagrangeAt(known, unused);
        });
        const chosen = [...points.map((p) => p.share), encode(unused, forged)];
        expect(combineShares(chosen, m)).toEqual(other);
      }
    }
  });

  it("draws fresh coefficients for every byte: a share of a constant secret is not constant", () => {
    // The Azure CLI's splitter reuses one polynomial for all bytes, so there every share of
    // 64 equal bytes would repeat one value; with fresh draws the chance of that is 257^-63.
    const secret = new Uint8Array(64).fill(0x5a);
    const [first] = splitSecret(secret, { shares: 3, required: 2 });
    const values = new Set(Array.from({ length: 64 }, (_, j) => first![2 * j]! | (first![2 * j + 1]! << 8)));
    expect(values.size).toBeGreaterThan(1);
  });

  it("encodes (x << 9) | v as little-endian uint16, and shareNumber reads x back", () => {
    const shares = splitSecret(random32(), { shares: 10, required: 3 });
    shares.forEach((share, i) => {
      expect(share).toHaveLength(64);
      expect(shareNumber(share)).toBe(i + 1);
      for (let j = 0; j < 32; j++) {
        const word = share[2 * j]! | (share[2 * j + 1]! << 8);
        expect(word >> 9).toBe(i + 1);
        expect(word & 0x1ff).toBeLessThan(257);
      }
    });
  });
});

/** Independent Lagrange interpolation over GF(257) for the test above (BigInt; inverses by Fermat, a^255). */
const P = 257n;
const norm = (a: bigint) => ((a % P) + P) % P;
const INVERSES = Array.from({ length: 257 }, (_, a) => {
  let result = 1n;
  for (let i = 0; i < 255; i++) result = norm(result * BigInt(a));
  return result;
});

function lagrangeAt(points: { x: number; v: number }[], at: number): number {
  let sum = 0n;
  for (const pi of points) {
    let term = BigInt(pi.v);
    for (const pj of points) {
      if (pj === pi) continue;
      term = norm(term * BigInt(at - pj.x) * INVERSES[Number(norm(BigInt(pi.x - pj.x)))]!);
    }
    sum = norm(sum + term);
  }
  return Number(sum);
}

describe("splitSecret: refusals", () => {
  const secret = fromHex("00112233");
  it.each([
    [{ shares: 3, required: 1 }, "the quorum must be a whole number from 2 to 10; got 1"],
    [{ shares: 11, required: 11 }, "the quorum must be a whole number from 2 to 10; got 11"],
    [{ shares: 3, required: 2.5 }, "the quorum must be a whole number from 2 to 10; got 2.5"],
    [{ shares: 11, required: 3 }, "the number of shares must be a whole number from 2 to 10; got 11"],
    [{ shares: 1, required: 2 }, "the number of shares must be a whole number from 2 to 10; got 1"],
    [{ shares: 3, required: 4 }, "the quorum (4) cannot be larger than the number of shares (3)"],
  ])("%o", (options, message) => {
    expect(refusal(() => splitSecret(secret, options))).toEqual({ code: "SD_SPLIT_PARAMETERS", message });
  });

  it("refuses an empty or oversized secret", () => {
    expect(refusal(() => splitSecret(new Uint8Array(0), { shares: 3, required: 2 }))).toEqual({
      code: "SD_SPLIT_PARAMETERS",
      message: "the secret must be 1 to 1024 bytes; got 0",
    });
    expect(refusal(() => splitSecret(new Uint8Array(1025), { shares: 3, required: 2 })).message).toBe(
      "the secret must be 1 to 1024 bytes; got 1025",
    );
  });
});

describe("combineShares: refusals", () => {
  const [s1, s2, s3] = vectors.vectors[0]!.sharesHex.map(fromHex) as [Uint8Array, Uint8Array, Uint8Array];

  it("refuses fewer than m shares", () => {
    expect(refusal(() => combineShares([s1], 2))).toEqual({ code: "SD_TOO_FEW_SHARES", message: "recovery needs 2 shares; 1 given" });
    expect(refusal(() => combineShares([], 2)).code).toBe("SD_TOO_FEW_SHARES");
  });

  it("refuses a quorum outside 2…10", () => {
    expect(refusal(() => combineShares([s1, s2], 1))).toEqual({
      code: "SD_SPLIT_PARAMETERS",
      message: "the quorum must be a whole number from 2 to 10; got 1",
    });
  });

  it("refuses the same share number twice (the same share given twice)", () => {
    expect(refusal(() => combineShares([s2, s1, s2], 2))).toEqual({
      code: "SD_DUPLICATE_SHARE",
      message: "shares 1 and 3 are both share number 2",
    });
  });

  it("refuses shares of different lengths", () => {
    expect(refusal(() => combineShares([s1, s2.slice(0, 2)], 2))).toEqual({
      code: "SD_SHARE_LENGTH",
      message: "share 2 is for a 1-byte secret but share 1 is for a 2-byte secret",
    });
  });

  it.each([
    ["an odd length", Uint8Array.of(0x8e, 0x02, 0x00), "share 1 is 3 bytes; a share is 2 bytes per secret byte"],
    ["no bytes", new Uint8Array(0), "share 1 is 0 bytes; a share is 2 bytes per secret byte"],
    ["share number 0", encode(0, [5, 6]), "share 1 has share number 0; share numbers run from 1 to 126"],
    ["share number 127", encode(127, [5, 6]), "share 1 has share number 127; share numbers run from 1 to 126"],
    ["two share numbers", Uint8Array.of(...encode(1, [5]), ...encode(2, [6])), "share 1 mixes share numbers 1 and 2"],
    ["a value of 257 or more", encode(1, [5, 300]), "share 1 has a value outside GF(257) at byte 1"],
  ])("refuses a malformed share: %s", (_, share, message) => {
    expect(refusal(() => combineShares([share, s3], 2))).toEqual({ code: "SD_SHARE_MALFORMED", message });
  });

  it("refuses an extra share that is not on the same polynomials (a share of another split)", () => {
    const [, , foreign] = splitSecret(fromHex("2a00"), { shares: 3, required: 2, random: words(101, 256) });
    expect(refusal(() => combineShares([s1, s2, foreign!], 2))).toEqual({
      code: "SD_SHARES_INCONSISTENT",
      message: "share number 3 does not fit the others: the shares come from different splits, or one is damaged",
    });
  });

  it("refuses shares that combine to a value that is not a byte", () => {
    // x=1 v=0 and x=2 v=1: s = 2·0 − 1·1 = −1 ≡ 256 (mod 257), which no byte split can produce.
    expect(refusal(() => combineShares([encode(1, [0]), encode(2, [1])], 2))).toEqual({
      code: "SD_SHARES_INCONSISTENT",
      message: "the shares do not combine to a secret: they come from different splits, or one is damaged",
    });
  });

  it("shareNumber refuses a malformed share", () => {
    expect(refusal(() => shareNumber(Uint8Array.of(1))).code).toBe("SD_SHARE_MALFORMED");
  });
});
