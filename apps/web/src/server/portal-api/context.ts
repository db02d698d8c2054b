import type { AuthConfig } from "@keyward/shared";
import type { Target } from "../target/app";

/** What portal API routes may use: the local target (store, access control, identity) and configuration. */
export interface PortalApiContext {
  target: Target;
  /** The portal's public HTTPS origin. */
  origin: string;
  dataDir: string;
  auth: AuthConfig;
}
