import type { EcCurve } from "@keyward/shared";

/** DER-encoded OIDs (CKA_EC_PARAMS) for the curves Keyward supports, and coordinate sizes. */
export const CURVES: Readonly<Record<EcCurve, { params: string; coordinateBytes: number }>> = {
  "P-256": { params: "06082a8648ce3d030107", coordinateBytes: 32 },
  "P-256K": { params: "06052b8104000a", coordinateBytes: 32 },
  "P-384": { params: "06052b81040022", coordinateBytes: 48 },
  "P-521": { params: "06052b81040023", coordinateBytes: 66 },
};

export function ecParams(curve: EcCurve): Buffer {
  return Buffer.from(CURVES[curve].params, "hex");
}

export function curveFromParams(params: Buffer): EcCurve | null {
  const hex = params.toString("hex");
  for (const [name, c] of Object.entries(CURVES)) if (c.params === hex) return name as EcCurve;
  return null;
}

/**
 * CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (v2.40), though some modules
 * return the bare point; accept both.
 */
export function decodeEcPoint(raw: Buffer, curve: EcCurve): { x: Buffer; y: Buffer } {
  const size = CURVES[curve].coordinateBytes;
  let point = raw;
  if (raw.length !== 2 * size + 1 && raw[0] === 0x04) {
    const long = (raw[1] ?? 0) & 0x80;
    const headerLen = long ? 2 + ((raw[1] ?? 0) & 0x7f) : 2;
    point = raw.subarray(headerLen);
  }
  if (point.length !== 2 * size + 1 || point[0] !== 0x04) throw new Error("unexpected EC point encoding");
  return { x: point.subarray(1, 1 + size), y: point.subarray(1 + size) };
}
