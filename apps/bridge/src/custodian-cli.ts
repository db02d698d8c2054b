import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CustodianCreateKeyCommandSchema, type BridgeConfig, type CustodianKeyResult } from "@keyward/shared";
import { switchSoftHsmConfig, useSoftHsmConfig } from "./env.js";
import { ConfigError, homePaths, readConfig, readPin } from "./home.js";
import { certificatePem } from "./hsm/certificate.js";
import { createCustodianKey, findCustodianKey, type CustodianKeySpec } from "./hsm/custodian-key.js";
import { labelInUse } from "./hsm/decryption-key.js";
import { loadIdentity } from "./identity.js";
import { Token } from "./pkcs11/token.js";
import { ensureDevHome, readTrustedKeys } from "./provision.js";

/**
 * Operator commands for security-domain custodians, run locally on the custodian's own machine (no
 * portal command: the key is made by whoever holds the token's PIN). `dev-custodians` makes the three
 * development custodians of the one-command start and the e2e harness.
 */

const DEV_CUSTODIAN_LABEL = "custodian";

/** Arguments that do not parse are a usage problem, reported as such (not as an unexpected error). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : "bad arguments");
  }
}

/** The spec as the bridge command would carry it, checked by the same schema. */
function custodianSpec(input: { label?: string; commonName?: string; size: string; validityDays: string }): CustodianKeySpec {
  const parsed = CustodianCreateKeyCommandSchema.safeParse({
    type: "custodian.createKey",
    label: input.label,
    commonName: input.commonName,
    size: Number(input.size),
    validityDays: Number(input.validityDays),
  });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

async function withHomeToken<T>(config: BridgeConfig, pin: string, fn: (token: Token) => Promise<T>): Promise<T> {
  if (config.pkcs11.softhsm2Conf) useSoftHsmConfig(config.pkcs11.softhsm2Conf);
  const token = Token.open({ module: config.pkcs11.module, label: config.pkcs11.tokenLabel, pin });
  try {
    return await fn(token);
  } finally {
    token.close();
  }
}

export async function custodianKey(home: string, args: string[], pinFromEnv: string | undefined): Promise<void> {
  const { values } = usage(() =>
    parseArgs({
      args,
      options: {
        label: { type: "string" },
        "common-name": { type: "string" },
        size: { type: "string", default: "3072" },
        "validity-days": { type: "string", default: "730" },
        out: { type: "string" },
      },
    }),
  );
  const spec = custodianSpec({ label: values.label, commonName: values["common-name"], size: values.size, validityDays: values["validity-days"] });
  const config = await readConfig(home);
  const result = await withHomeToken(config, await readPin(home, pinFromEnv), (token) => token.withSession((s) => createCustodianKey(s, spec, new Date())));
  const pem = certificatePem(Buffer.from(result.certificate, "base64"));
  if (values.out) {
    await writeFile(values.out, pem);
    process.stdout.write(`${JSON.stringify(summary(result, resolve(values.out)), null, 2)}\n`);
  } else {
    process.stdout.write(pem);
    process.stderr.write(`custodian key "${result.label}": certificate thumbprint (x5t#S256) ${result.thumbprintSha256}, valid until ${result.notAfter}\n`);
  }
}

const summary = (r: CustodianKeyResult, certificatePath: string) => ({
  label: r.label,
  thumbprintSha256: r.thumbprintSha256,
  size: r.size,
  notAfter: r.notAfter,
  certificatePath,
});

/** The custodian key under `label`, made if the label is still free: what makes dev-custodians re-runnable. */
async function ensureCustodianKey(token: Token, spec: CustodianKeySpec): Promise<{ result: CustodianKeyResult; created: boolean }> {
  return token.withSession(async (s) => {
    if (!labelInUse(s, spec.label)) return { result: await createCustodianKey(s, spec, new Date()), created: true };
    return { result: findCustodianKey(s, spec.label).certificate, created: false };
  });
}

export async function devCustodians(args: string[]): Promise<void> {
  const { values } = usage(() =>
    parseArgs({
      args,
      options: {
        dir: { type: "string" },
        count: { type: "string", default: "3" },
        "portal-issuer": { type: "string" },
        "trust-portal-key": { type: "string", multiple: true },
        "base-port": { type: "string", default: "7711" },
        host: { type: "string", default: "127.0.0.1" },
        size: { type: "string", default: "3072" },
      },
    }),
  );
  const count = Number(values.count);
  const basePort = Number(values["base-port"]);
  if (!values.dir || !values["portal-issuer"] || !values["trust-portal-key"]?.length) {
    throw new ConfigError("dev-custodians needs --dir, --portal-issuer and --trust-portal-key");
  }
  if (!Number.isInteger(count) || count < 1 || count > 10) throw new ConfigError("--count is a whole number from 1 to 10");
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + count - 1 > 65535) throw new ConfigError("--base-port is a port number (0: any free port)");
  const portal = { issuer: values["portal-issuer"], keys: await readTrustedKeys(values["trust-portal-key"]) };
  const custodians = [];
  for (let i = 1; i <= count; i++) {
    const home = resolve(values.dir, String(i));
    const { config, created: homeCreated } = await ensureDevHome(home, {
      bridgeId: `custodian-${i}`,
      tokenLabel: `keyward-custodian-${i}`,
      listen: { host: values.host, port: basePort === 0 ? 0 : basePort + i - 1 },
      portal,
    });
    const spec = custodianSpec({ label: DEV_CUSTODIAN_LABEL, commonName: `Development custodian ${i}`, size: values.size, validityDays: "730" });
    // One process, one home after another: point SoftHSM2 at this home's token before it initialises.
    if (config.pkcs11.softhsm2Conf) switchSoftHsmConfig(config.pkcs11.softhsm2Conf);
    const key = await withHomeToken(config, await readPin(home, undefined), (token) => ensureCustodianKey(token, spec));
    const certificatePath = join(home, "custodian.pem");
    await writeFile(certificatePath, certificatePem(Buffer.from(key.result.certificate, "base64")));
    const identity = await loadIdentity(homePaths(home).identity, config.bridgeId);
    custodians.push({
      index: i,
      home,
      bridgeId: config.bridgeId,
      url: `ws://${config.listen.host}:${config.listen.port}/bridge`,
      identity: { thumbprint: identity.thumbprint, publicJwk: identity.publicJwk },
      created: homeCreated || key.created,
      ...summary(key.result, certificatePath),
    });
  }
  process.stdout.write(`${JSON.stringify({ custodians }, null, 2)}\n`);
}
