import type { Logger } from "pino";
import { loadOrCreateCommandKey } from "../bridge/command-key";
import { BridgeRegistry } from "../bridges/registry";
import { BridgeStatusService } from "../bridges/status";
import type { Target } from "../target/app";
import { CeremonyService } from "./service";

/** What the bridges and ceremonies endpoints use (part of the portal API context). */
export interface CeremonyServices {
  bridges: { registry: BridgeRegistry; status: BridgeStatusService };
  ceremonies: CeremonyService;
}

/**
 * Bridges and ceremonies for one portal process. `resume` picks up ceremonies a stopped process left
 * running; `stop` lets go of the ones in progress so that the next process can take them over.
 */
export async function openCeremonyServices(o: { target: Target; origin: string; dataDir: string; issuer: string; log: Logger }): Promise<
  CeremonyServices & { resume(): Promise<string[]>; stop(): Promise<void> }
> {
  const { signer } = await loadOrCreateCommandKey(o.dataDir, o.issuer);
  const registry = new BridgeRegistry(o.target.db);
  const status = new BridgeStatusService(signer);
  const ceremonies = new CeremonyService({ target: o.target, origin: o.origin, registry, status, signer, log: o.log });
  return {
    bridges: { registry, status },
    ceremonies,
    resume: () => {
      ceremonies.runner.watch();
      return ceremonies.runner.resumeOrphans().catch((err: unknown) => {
        o.log.error({ event: "ceremony_resume_failed", err }, "could not resume ceremonies");
        return [];
      });
    },
    stop: () => ceremonies.runner.stop(),
  };
}
