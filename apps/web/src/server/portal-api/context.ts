import type { AuthConfig } from "@keyward/shared";
import type { Target } from "../target/app";
import type { CeremonyServices } from "../ceremony/services";
import type { KmsImportService } from "../kms-import/service";
import type { RecoveryService } from "../sd-recovery/service";

/**
 * What portal API routes may use: the local target (store, access control, identity), configuration,
 * and the bridges and ceremonies (`bridges.registry`, `bridges.status`, `ceremonies`; ceremony/services.ts).
 */
export interface PortalApiContext extends CeremonyServices {
  target: Target;
  /** The portal's public HTTPS origin. */
  origin: string;
  dataDir: string;
  auth: AuthConfig;
  /** KMS import jobs (kms-import/service.ts). */
  kmsImports: KmsImportService;
  /** Security-domain recoveries and quorum rehearsals (sd-recovery/service.ts). */
  recoveries: RecoveryService;
}
