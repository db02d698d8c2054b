import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AttestationConfig, AuthConfig, DomainKeySealing } from "@keyward/shared";
import type { Logger } from "pino";
import { ISSUER_PATH } from "./auth";
import { loadOrCreateCommandKey } from "./bridge/command-key";
import { openCeremonyServices, type CeremonyServices } from "./ceremony/services";
import type { KmsOptions } from "./kms/app";
import { openKmsImports } from "./kms-import/services";
import { quorumServiceOf } from "./quorum";
import { RecoveryService } from "./sd-recovery/service";
import type { KmsImportService } from "./kms-import/service";
import { isKmsRequest } from "./kms/handler";
import { createPortalApi, PORTAL_API_PATH, PORTAL_ROUTES } from "./portal-api";
import { openTarget, type Target } from "./target/app";
import { sendError, sendFetchResponse, toFetchRequest } from "./target/http";
import { isTargetPath } from "./target/routes";
import { ensureLocalTls } from "./tls/local-ca";

/** The `iss` of the portal's bridge commands; bridges pin it at `init --portal-issuer`. */
export const PORTAL_COMMAND_ISSUER = "keyward-portal";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface PortalServerOptions {
  dataDir: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Host names besides localhost, 127.0.0.1 and ::1 that the server certificate must cover. */
  hostnames?: readonly string[];
  databaseUrl?: string | undefined;
  auth: AuthConfig;
  attestation?: AttestationConfig | undefined;
  sealing?: DomainKeySealing | undefined;
  log: Logger;
  now?: () => number;
  /** The KMS endpoint (Alibaba Cloud KMS RPC API at `/`). */
  kms?: KmsOptions | undefined;
  /** KEYWARD_SD_DEV_CUSTODIANS: a provisioned target activates itself with these development custodians' certificates. */
  securityDomainDevCustodians?: string | undefined;
  /** The portal UI (Next.js); without it only the local target and the identity provider are served. */
  ui?: NodeHandler;
}

export interface PortalServer {
  origin: string;
  caPath: string;
  target: Target;
  server: Server;
  /** Registered bridges and BYOK ceremonies. */
  ceremonies: CeremonyServices;
  kmsImports: KmsImportService;
  close(): Promise<void>;
}

/**
 * One HTTPS origin for the whole portal: the development identity provider under /oidc, the Key Vault
 * data plane (/keys, /deletedkeys, /rng, …) and, for everything else, the portal UI.
 */
export async function startPortalServer(o: PortalServerOptions): Promise<PortalServer> {
  const tls = await ensureLocalTls(o.dataDir, o.hostnames);
  let handle: NodeHandler = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer({ cert: tls.cert, key: tls.key, keepAliveTimeout: 65_000 }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `https://${o.host === "127.0.0.1" || o.host === "::1" || o.host === "0.0.0.0" ? "localhost" : o.host}:${port}`;
  const target = await openTarget({ dataDir: o.dataDir, databaseUrl: o.databaseUrl, origin, auth: o.auth, attestation: o.attestation, sealing: o.sealing, kms: o.kms, securityDomainDevCustodians: o.securityDomainDevCustodians, log: o.log, ...(o.now ? { now: o.now } : {}) });
  // Made on first start so that a bridge can pin it before the portal sends its first command.
  await loadOrCreateCommandKey(o.dataDir, PORTAL_COMMAND_ISSUER);
  const ceremonies = await openCeremonyServices({ target, origin, dataDir: o.dataDir, issuer: PORTAL_COMMAND_ISSUER, log: o.log });
  const kmsImports = await openKmsImports({ target, bridges: ceremonies.bridges, dataDir: o.dataDir, issuer: PORTAL_COMMAND_ISSUER, log: o.log });
  const recoveries = new RecoveryService({
    db: target.db,
    registry: ceremonies.bridges.registry,
    signer: (await loadOrCreateCommandKey(o.dataDir, PORTAL_COMMAND_ISSUER)).signer,
    target: target.securityDomain,
    log: o.log,
    now: target.ctx.now,
    onRehearsalPassed: async (thumbprint, at) => {
      const { fingerprint } = await target.securityDomain.status();
      if (fingerprint) await quorumServiceOf(target).recordRehearsal(fingerprint, thumbprint, at);
    },
  });
  const portalApi = createPortalApi({ target, origin, dataDir: o.dataDir, auth: o.auth, ...ceremonies, kmsImports: kmsImports.kmsImports, recoveries }, PORTAL_ROUTES, PORTAL_API_PATH);
  handle = async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    try {
      if (target.devIssuer && (path === ISSUER_PATH || path.startsWith(`${ISSUER_PATH}/`))) {
        const response = await target.devIssuer.handle(await toFetchRequest(req, new URL(req.url ?? "/", origin)));
        if (response) return await sendFetchResponse(res, response);
      }
      if (path === PORTAL_API_PATH || path.startsWith(`${PORTAL_API_PATH}/`)) return await portalApi(req, res);
      if (isKmsRequest(req)) return await target.kms.handle(req, res);
      if (isTargetPath(path)) return await target.handle(req, res);
      if (o.ui) return await o.ui(req, res);
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    } catch (err) {
      if (!res.headersSent) sendError(res, err, o.log);
    }
  };
  // Ceremonies a stopped process left running go on in the background.
  void ceremonies.resume();
  void kmsImports.resume();
  return {
    origin,
    caPath: tls.caPath,
    target,
    server,
    ceremonies,
    kmsImports: kmsImports.kmsImports,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await ceremonies.stop();
      await kmsImports.stop();
      await target.close();
    },
  };
}
