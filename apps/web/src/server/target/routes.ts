import type { OperationName } from "@keyward/shared";

export interface RouteMatch {
  operation: OperationName;
  name?: string;
  version?: string;
  /** For the access-control APIs: the scope written before `/providers/…`, and the object name. */
  scope?: string;
  objectName?: string;
}

export type RouteResult = { kind: "match"; route: RouteMatch } | { kind: "notFound" } | { kind: "methodNotAllowed"; allowed: string[] };

const CRYPTO_ACTIONS: Readonly<Record<string, OperationName>> = {
  encrypt: "encrypt",
  decrypt: "decrypt",
  wrapkey: "wrapKey",
  unwrapkey: "unwrapKey",
  sign: "sign",
  verify: "verify",
  release: "release",
};

/** Whether a path belongs to the Key Vault data plane (the rest of the origin is the portal). */
export function isTargetPath(pathname: string): boolean {
  const first = pathname.split("/").find((s) => s !== "")?.toLowerCase();
  if (first === "keys" || first === "deletedkeys" || first === "rng" || first === "securitydomain" || first === "providers") return true;
  return /\/providers\/microsoft\.authorization\//i.test(pathname);
}

type Methods = Partial<Record<string, RouteMatch>>;

function pick(method: string, methods: Methods): RouteResult {
  const route = methods[method];
  if (route) return { kind: "match", route };
  return { kind: "methodNotAllowed", allowed: Object.keys(methods) };
}

/**
 * Match a request to an operation. Empty path segments are dropped: the official client asks for
 * "latest" with an empty version, which yields `/keys/name/` and `/keys/name//sign`.
 */
export function matchRoute(method: string, pathname: string): RouteResult {
  const segs = pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const lower = segs.map((s) => s.toLowerCase());
  const providers = lower.findIndex((s, i) => s === "providers" && lower[i + 1] === "microsoft.authorization");
  if (providers >= 0) return matchAccessControl(method, segs, providers);

  const [collection, a, b, c, ...rest] = lower;
  // Segments in their original case; present whenever the lower-cased one is.
  const name = segs[1] ?? "";
  const version = segs[2] ?? "";
  if (rest.length) return { kind: "notFound" };
  if (collection === "rng" && segs.length === 1) return pick(method, { POST: { operation: "getRandomBytes" } });
  if (collection === "securitydomain") return matchSecurityDomain(method, a, b, c);

  if (collection === "deletedkeys") {
    if (a === undefined) return pick(method, { GET: { operation: "getDeletedKeys" } });
    if (b === undefined) return pick(method, { GET: { operation: "getDeletedKey", name: name }, DELETE: { operation: "purgeDeletedKey", name: name } });
    if (b === "recover" && c === undefined) return pick(method, { POST: { operation: "recoverDeletedKey", name: name } });
    return { kind: "notFound" };
  }

  if (collection !== "keys") return { kind: "notFound" };
  if (a === undefined) return pick(method, { GET: { operation: "getKeys" } });
  if (b === undefined) {
    if (a === "restore") return pick(method, { POST: { operation: "restoreKey" } });
    return pick(method, {
      GET: { operation: "getKey", name: name },
      PUT: { operation: "importKey", name: name },
      PATCH: { operation: "updateKey", name: name },
      DELETE: { operation: "deleteKey", name: name },
    });
  }
  if (c === undefined) {
    switch (b) {
      case "create":
        return pick(method, { POST: { operation: "createKey", name: name } });
      case "versions":
        return pick(method, { GET: { operation: "getKeyVersions", name: name } });
      case "backup":
        return pick(method, { POST: { operation: "backupKey", name: name } });
      case "rotate":
        return pick(method, { POST: { operation: "rotateKey", name: name } });
      case "rotationpolicy":
        return pick(method, { GET: { operation: "getKeyRotationPolicy", name: name }, PUT: { operation: "updateKeyRotationPolicy", name: name } });
    }
    const action = CRYPTO_ACTIONS[b];
    // `/keys/name//sign` arrives here as `/keys/name/sign`: the latest version.
    if (action) return pick(method, { POST: { operation: action, name: name } });
    return pick(method, { GET: { operation: "getKey", name: name, version }, PATCH: { operation: "updateKey", name: name, version } });
  }
  const action = CRYPTO_ACTIONS[c];
  if (action) return pick(method, { POST: { operation: action, name: name, version } });
  return { kind: "notFound" };
}

/** Managed HSM's security-domain endpoints (facts §4.1). */
function matchSecurityDomain(method: string, a: string | undefined, b: string | undefined, c: string | undefined): RouteResult {
  if (c !== undefined) return { kind: "notFound" };
  if (a === "download") {
    if (b === undefined) return pick(method, { POST: { operation: "downloadSecurityDomain" } });
    if (b === "pending") return pick(method, { GET: { operation: "getSecurityDomainDownloadStatus" } });
  }
  if (a === "upload") {
    if (b === undefined) return pick(method, { GET: { operation: "getTransferKey" }, POST: { operation: "uploadSecurityDomain" } });
    if (b === "pending") return pick(method, { GET: { operation: "getSecurityDomainUploadStatus" } });
  }
  return { kind: "notFound" };
}

function matchAccessControl(method: string, segs: string[], providers: number): RouteResult {
  const scope = `/${segs.slice(0, providers).join("/")}`;
  const kind = segs[providers + 2]?.toLowerCase();
  const objectName = segs[providers + 3];
  if (segs.length > providers + 4) return { kind: "notFound" };
  if (kind === "roleassignments") {
    if (objectName === undefined) return pick(method, { GET: { operation: "listRoleAssignments", scope } });
    return pick(method, {
      GET: { operation: "getRoleAssignment", scope, objectName },
      PUT: { operation: "createRoleAssignment", scope, objectName },
      DELETE: { operation: "deleteRoleAssignment", scope, objectName },
    });
  }
  if (kind === "roledefinitions") {
    if (objectName === undefined) return pick(method, { GET: { operation: "listRoleDefinitions", scope } });
    return pick(method, { GET: { operation: "getRoleDefinition", scope, objectName } });
  }
  return { kind: "notFound" };
}
