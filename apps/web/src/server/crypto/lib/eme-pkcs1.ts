/**
 * EME-PKCS1-v1_5 decoding (RFC 8017 §7.2.2 step 3): EM = 00 || 02 || PS (≥ 8 non-zero) || 00 || M.
 *
 * Why here: Node 20 refuses RSA_PKCS1_PADDING in privateDecrypt (CVE-2023-46809, the Marvin
 * attack) because its OpenSSL 3.0 lacks implicit rejection, yet Key Vault offers RSA1_5. So the
 * RSA operation runs raw and the padding is checked here, scanning every byte without early exits.
 * JavaScript gives no timing guarantee, and the caller's error for a bad padding is itself an oracle;
 * see the note in rsa-encrypt.ts.
 */
export function decodeEmePkcs1(em: Uint8Array): Uint8Array | undefined {
  let found = 0;
  let separator = 0;
  for (let i = 2; i < em.length; i++) {
    const byte = em[i] ?? 0;
    // 1 when byte is 0, else 0, without a data-dependent branch.
    const isZero = ((byte - 1) >>> 31) & 1;
    const first = isZero & (found ^ 1);
    separator |= -first & i;
    found |= isZero;
  }
  const headerOk = ((em[0] ?? 1) === 0 ? 1 : 0) & ((em[1] ?? 0) === 2 ? 1 : 0);
  // PS spans bytes 2 .. separator-1 and must be at least 8 bytes long.
  const paddingOk = separator >= 10 ? 1 : 0;
  if ((headerOk & found & paddingOk) !== 1) return undefined;
  return em.subarray(separator + 1);
}
