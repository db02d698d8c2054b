import type { KeyObject } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/*
 * RSA private-key operations on worker threads. One costs ~0.3 ms at 2048 bits and ~3 ms at 4096
 * (OpenSSL has no asynchronous form of the raw primitive Key Vault's digest-signing needs), so on the
 * event loop they cap a target at one core and stall every other request behind them. Everything else
 * stays on the main thread: for an AES operation or an ECDSA signature the hand-off would cost more
 * than the work. A key crosses to a worker once (cloning a KeyObject into a message costs about as
 * much as the hand-off itself); after that jobs name it by a number.
 *
 * The worker is plain CommonJS evaluated from this string, so it needs neither a build step nor a
 * TypeScript loader, and it can only ever run the two primitives below.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createPrivateKey, privateDecrypt, privateEncrypt } = require("node:crypto");
const keys = new Map();
parentPort.on("message", (job) => {
  if (job.forget !== undefined) return void keys.delete(job.forget);
  try {
    // A copy of its own: threads sharing one OpenSSL RSA object share its blinding state under a lock.
    if (job.key) keys.set(job.keyId, createPrivateKey({ key: job.key.export({ format: "der", type: "pkcs8" }), format: "der", type: "pkcs8" }));
    const key = keys.get(job.keyId);
    const run = job.op === "encrypt" ? privateEncrypt : privateDecrypt;
    const options = job.oaepHash === undefined ? { key, padding: job.padding } : { key, padding: job.padding, oaepHash: job.oaepHash };
    parentPort.postMessage({ id: job.id, output: run(options, job.input) });
  } catch {
    parentPort.postMessage({ id: job.id, failed: true });
  }
});
`;

export interface RsaPrivateJob {
  /** "encrypt" is the signature primitive (privateEncrypt), "decrypt" the decryption one. */
  op: "encrypt" | "decrypt";
  key: KeyObject;
  padding: number;
  oaepHash?: string;
  input: Uint8Array;
}

/** The primitive refused its input (a padding check failed); callers map it to their own error. */
export class RsaPrivateOperationFailed extends Error {
  constructor() {
    super("the RSA private-key operation failed");
  }
}

interface Pending {
  resolve: (output: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Key numbers this worker holds, oldest first (a Map keeps insertion order). */
  known: Map<number, true>;
}

/** Keys each worker keeps; the least recently sent is forgotten first. */
const KEYS_PER_WORKER = 1024;
const slots: Slot[] = [];
const keyNumbers = new WeakMap<KeyObject, number>();
let nextKeyNumber = 0;
let nextId = 0;

function keyNumberOf(key: KeyObject): number {
  let n = keyNumbers.get(key);
  if (n === undefined) keyNumbers.set(key, (n = nextKeyNumber++));
  return n;
}

function spawn(index: number): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, name: `keyward-rsa-${index}` });
  // Only a worker with work in hand keeps the process alive.
  worker.unref();
  const slot: Slot = { worker, pending: new Map(), known: new Map() };
  worker.on("message", (m: { id: number; output?: Uint8Array; failed?: boolean }) => {
    const p = slot.pending.get(m.id);
    if (!p) return;
    slot.pending.delete(m.id);
    if (slot.pending.size === 0) worker.unref();
    if (m.failed || !m.output) p.reject(new RsaPrivateOperationFailed());
    else p.resolve(Buffer.from(m.output.buffer, m.output.byteOffset, m.output.byteLength));
  });
  // Its own errors end the worker (the exit below handles that); they must not end the process.
  worker.on("error", () => undefined);
  // A worker that dies takes its jobs with it: fail them (never leave a request hanging) and replace it.
  worker.on("exit", () => {
    for (const p of slot.pending.values()) p.reject(new Error("an RSA worker thread stopped"));
    slot.pending.clear();
    if (slots[index] === slot) slots[index] = spawn(index);
  });
  return slot;
}

/**
 * One worker per core but one: the event loop keeps a core busy with TLS and HTTP under load, and a
 * worker more than the cores left only adds switching (measured: 2 workers on 2 cores sign slower than 1).
 */
function leastBusy(): Slot {
  if (slots.length === 0) for (let i = 0; i < Math.max(1, availableParallelism() - 1); i++) slots.push(spawn(i));
  return slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
}

export function runRsaPrivate(job: RsaPrivateJob): Promise<Buffer> {
  const slot = leastBusy();
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    if (slot.pending.size === 0) slot.worker.ref();
    slot.pending.set(id, { resolve, reject });
    const keyId = keyNumberOf(job.key);
    const known = slot.known.delete(keyId);
    slot.known.set(keyId, true);
    if (slot.known.size > KEYS_PER_WORKER) {
      const oldest = slot.known.keys().next().value as number;
      slot.known.delete(oldest);
      slot.worker.postMessage({ forget: oldest });
    }
    const { key, ...rest } = job;
    slot.worker.postMessage(known ? { id, keyId, ...rest } : { id, keyId, key, ...rest });
  });
}
