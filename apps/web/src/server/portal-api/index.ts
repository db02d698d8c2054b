import { bridgeRoutes } from "./bridges";
import { ceremonyRoutes } from "./ceremonies";
import { identityRoutes } from "./me";
import { inventoryRoutes } from "./inventory";
import { kmsImportRoutes } from "./kms-imports";
import { principalRoutes } from "./principals";
import { quorumRoutes } from "./quorum";
import type { PortalRoute } from "./route";
import { sdRecoveryRoutes } from "./sd-recovery";

/** Where the portal API lives under the portal's origin. */
export const PORTAL_API_PATH = "/portal-api";

/** Every portal API endpoint; each feature contributes its own list. */
export const PORTAL_ROUTES: readonly PortalRoute[] = [...identityRoutes, ...inventoryRoutes, ...principalRoutes, ...bridgeRoutes, ...ceremonyRoutes, ...kmsImportRoutes, ...sdRecoveryRoutes, ...quorumRoutes];

export { createPortalApi } from "./router";
export type { PortalApiContext } from "./context";
export type { PortalRequest, PortalResponse, PortalRoute } from "./route";
