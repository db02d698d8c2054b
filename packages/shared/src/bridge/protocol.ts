/**
 * Constants of the portal ⇄ bridge protocol. Bump PROTOCOL_VERSION on any incompatible change to
 * frames, commands or results: a peer on another version is answered "incompatible", never guessed at.
 */
export const BRIDGE_PROTOCOL_VERSION = 1;

/** The only signature algorithm either side accepts (Ed25519). */
export const SIGNING_ALG = "EdDSA";
export const COMMAND_TYP = "keyward-command+jwt";
export const RESULT_TYP = "keyward-result+jwt";

/** A command is valid for at most this long after it was issued. */
export const MAX_COMMAND_LIFETIME_SECONDS = 300;
/** Tolerated clock skew between portal and bridge. */
export const CLOCK_SKEW_SECONDS = 30;

/** Default limit on one WebSocket frame or command file. */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024;

/** WebSocket close codes of our own (4000–4999 are application codes). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  frameTooLarge: 1009,
  incompatible: 4000,
  helloRequired: 4001,
} as const;
