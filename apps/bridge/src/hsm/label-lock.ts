import type { Session } from "../pkcs11/token.js";

/**
 * Commands that create or destroy objects under a label (key.generate, custodian.createKey,
 * sd.recovery.begin/end) run one at a time per label and token, so that "is the label free?" and
 * "create it" cannot interleave with another command doing the same. Keyed by the PKCS#11 module
 * instance: one per token in a process.
 */
const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

export async function withLabelLock<T>(s: Session, label: string, fn: () => Promise<T>): Promise<T> {
  let byLabel = queues.get(s.p11);
  if (!byLabel) queues.set(s.p11, (byLabel = new Map()));
  const previous = byLabel.get(label) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  byLabel.set(label, settled);
  try {
    return await run;
  } finally {
    if (byLabel.get(label) === settled) byLabel.delete(label);
  }
}
