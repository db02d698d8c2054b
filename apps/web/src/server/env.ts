import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AttestationConfigSchema, DomainKeySealingSchema, parseAuthConfig, type AttestationConfig, type AuthConfig, type DomainKeySealing } from "@keyward/shared";

/** The only place the portal reads its environment. */
/** `.keyward/` at the top of the repository, where `npm start` keeps everything by default. */
const DEFAULT_HOME = fileURLToPath(new URL("../../../../.keyward", import.meta.url));

const EnvSchema = z.object({
  KEYWARD_HOME: z.string().min(1).default(DEFAULT_HOME),
  /** The portal's data; `$KEYWARD_HOME/portal` when unset. */
  KEYWARD_DATA_DIR: z.string().min(1).optional(),
  KEYWARD_PORTAL_HOST: z.string().min(1).default("127.0.0.1"),
  KEYWARD_PORTAL_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  /** Extra host names for the server certificate, comma-separated. */
  KEYWARD_PORTAL_HOSTNAMES: z.string().default(""),
  /** PostgreSQL; the embedded PGlite when unset. */
  DATABASE_URL: z.string().min(1).optional(),
  /** JSON of the identity provider configuration; the embedded development issuer when unset. */
  KEYWARD_AUTH: z.string().optional(),
  /** JSON {"authorities":[{"issuer","jwksUri"|"jwks"}]}: attestation authorities for secure key release. */
  KEYWARD_ATTESTATION: z.string().optional(),
  /** JSON {"kind":"pkcs11","module","tokenLabel","pinFile"}: seal the domain key in an HSM; a key file when unset. */
  KEYWARD_DOMAIN_KEY_SEALING: z.string().optional(),
  /** 1: the KMS endpoint hands out RSAES_PKCS1_V1_5 import parameters too (deprecated for key transport; refused by default). */
  KEYWARD_KMS_ALLOW_PKCS1: z.enum(["0", "1"]).default("0"),
  /**
   * Development only: a directory of development custodians (`<dir>/*\/custodian.pem`, made by
   * `keyward-bridge dev-custodians`) that a provisioned target activates its security domain with.
   */
  KEYWARD_SD_DEV_CUSTODIANS: z.string().min(1).optional(),
  KEYWARD_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info"),
});

export interface PortalEnv {
  home: string;
  dataDir: string;
  host: string;
  port: number;
  hostnames: string[];
  databaseUrl: string | undefined;
  auth: AuthConfig;
  attestation: AttestationConfig | undefined;
  sealing: DomainKeySealing | undefined;
  kmsAllowPkcs1: boolean;
  sdDevCustodians: string | undefined;
  logLevel: string;
}

export function readPortalEnv(): PortalEnv {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`bad environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = parsed.data;
  let auth: AuthConfig = { kind: "embedded" };
  if (e.KEYWARD_AUTH) auth = parseAuthConfig(JSON.parse(e.KEYWARD_AUTH));
  return {
    home: resolve(e.KEYWARD_HOME),
    dataDir: resolve(e.KEYWARD_DATA_DIR ?? join(e.KEYWARD_HOME, "portal")),
    host: e.KEYWARD_PORTAL_HOST,
    port: e.KEYWARD_PORTAL_PORT,
    hostnames: e.KEYWARD_PORTAL_HOSTNAMES.split(",").map((s) => s.trim()).filter(Boolean),
    databaseUrl: e.DATABASE_URL,
    auth,
    attestation: e.KEYWARD_ATTESTATION ? AttestationConfigSchema.parse(JSON.parse(e.KEYWARD_ATTESTATION)) : undefined,
    sealing: e.KEYWARD_DOMAIN_KEY_SEALING ? DomainKeySealingSchema.parse(JSON.parse(e.KEYWARD_DOMAIN_KEY_SEALING)) : undefined,
    kmsAllowPkcs1: e.KEYWARD_KMS_ALLOW_PKCS1 === "1",
    sdDevCustodians: e.KEYWARD_SD_DEV_CUSTODIANS ? resolve(e.KEYWARD_SD_DEV_CUSTODIANS) : undefined,
    logLevel: e.KEYWARD_LOG_LEVEL,
  };
}
