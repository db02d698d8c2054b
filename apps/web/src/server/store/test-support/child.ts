import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Child {
  process: ChildProcess;
  /** Resolves when the child prints this line; rejects if it exits first. */
  waitFor(line: string): Promise<void>;
  send(line: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Run one of ./children/*.ts in its own Node process, as a second portal process would run. */
export function spawnChild(script: string, args: string[]): Child {
  const path = fileURLToPath(new URL(`./children/${script}`, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", path, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { line: string; resolve: () => void; reject: (err: Error) => void }[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`child exited (${code ?? signal}) before "${waiter.line}":\n${stderr}`));
      resolve({ code, signal });
    });
  });
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    const lines = stdout.split("\n");
    for (const waiter of [...waiters]) {
      if (lines.includes(waiter.line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return {
    process: child,
    waitFor: (line) =>
      stdout.split("\n").includes(line)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`child already exited:\n${stderr}`));
            else waiters.push({ line, resolve, reject });
          }),
    send: (line) => {
      child.stdin.write(`${line}\n`);
    },
    exited,
    output: () => `${stdout}\n${stderr}`,
  };
}
