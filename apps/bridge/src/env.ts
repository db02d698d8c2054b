import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/** The only place the bridge reads its environment. */
const EnvSchema = z.object({
  KEYWARD_BRIDGE_HOME: z.string().min(1).default(join(homedir(), ".keyward-bridge")),
  /** Overrides the PIN file; never logged. */
  KEYWARD_BRIDGE_PIN: z.string().min(1).optional(),
  KEYWARD_BRIDGE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info"),
  SOFTHSM2_CONF: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`bad environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** SoftHSM2 reads its config location from the environment when the module initialises. */
export function useSoftHsmConfig(path: string): void {
  process.env.SOFTHSM2_CONF ??= path;
}

/**
 * For a process that opens several development homes one after another (dev-custodians): each home's
 * SoftHSM2 token has its own config, read again each time the module initialises.
 */
export function switchSoftHsmConfig(path: string): void {
  process.env.SOFTHSM2_CONF = path;
}

/** The environment for a child process (softhsm2-util), plus overrides. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
