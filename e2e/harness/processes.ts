import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";

/** A free TCP port on loopback (released just before the product binds it; fine on a test machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Started {
  name: string;
  child: ChildProcess;
  /** Rejects when the process exits before `stop()` was asked for. */
  exited: Promise<never>;
  stop(): Promise<void>;
}

/** Starts a long-running process with its output in `logFile`; `stop()` sends SIGTERM, then SIGKILL. */
export function startProcess(name: string, command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Started {
  const log = createWriteStream(opts.logFile, { flags: "a", mode: 0o600 });
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let stopping = false;
  const exited = new Promise<never>((_resolve, reject) => {
    child.once("exit", (code, signal) => {
      if (!stopping) reject(new Error(`${name} exited (${signal ?? code}) — see ${opts.logFile}`));
    });
  });
  exited.catch(() => undefined);
  return {
    name,
    child,
    exited,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** GET `url` and report its status (0 when nothing answers). */
export function statusOf(url: string, ca?: string): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(u, { method: "GET", timeout: 5_000, ...(ca ? { ca } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/** Polls `ready` until it is true, the process dies, or `timeoutMs` passes. */
export async function waitFor(what: string, ready: () => Promise<boolean>, started: Started | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.race([ready(), ...(started ? [started.exited] : [])])) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
}
