import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured logs on stderr (stdout carries results in `exec`). Paths that could hold a secret are
 * redacted as a second line of defence; the code never passes a PIN or key bytes to the logger.
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { service: "keyward-bridge" }, redact: { paths: ["pin", "*.pin", "jws", "*.jws"], censor: "[redacted]" } },
    pino.destination(2),
  );
}
