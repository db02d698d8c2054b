import type { Logger } from "pino";
import { loadOrCreateCommandKey } from "../bridge/command-key";
import type { CeremonyServices } from "../ceremony/services";
import type { Target } from "../target/app";
import { KmsImportService } from "./service";

/**
 * KMS import jobs for one portal process, on the target's database and its KMS endpoint (called
 * in-process), with the bridges the ceremonies use. `resume` picks up jobs a stopped process left running.
 */
export async function openKmsImports(o: { target: Target; bridges: CeremonyServices["bridges"]; dataDir: string; issuer: string; log: Logger }) {
  const { signer } = await loadOrCreateCommandKey(o.dataDir, o.issuer);
  const kmsImports = new KmsImportService({ db: o.target.db, kms: o.target.kms, registry: o.bridges.registry, status: o.bridges.status, signer, log: o.log, now: o.target.ctx.now });
  return {
    kmsImports,
    resume: () => {
      kmsImports.runner.watch();
      return kmsImports.runner.resumeOrphans().catch((err: unknown) => {
        o.log.error({ event: "kms_import_resume_failed", err }, "could not resume KMS import jobs");
        return [];
      });
    },
    stop: () => kmsImports.runner.stop(),
  };
}
