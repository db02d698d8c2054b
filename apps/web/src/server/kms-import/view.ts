import type { KmsImportJob } from "@keyward/shared";
import { principalRef } from "../bridges/registry";
import type { KmsKey } from "../kms/service";
import type { KmsImportRecord } from "./store";

const DAY = 86_400;
const iso = (unix: number) => new Date(unix * 1000).toISOString();

/** Days left before `expire`, a part-day counted whole ("expires in 20 days" stays true all of its first day); 0 once past. */
export const daysLeft = (expire: number, now: number) => Math.max(0, Math.ceil((expire - now) / DAY));

/**
 * A job as the API shows it, with the KMS key as DescribeKey sees it now (`key` undefined: the key is
 * gone). The import token and the wrapped material never leave the server.
 */
export function toJob(j: KmsImportRecord, key: KmsKey | undefined, now: number): KmsImportJob {
  const expire = key?.row.material_expire ?? null;
  const settled = j.state === "completed" || j.state === "failed";
  return {
    id: j.id,
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
    createdBy: principalRef(j.principal),
    target: j.target,
    bridgeId: j.bridge.bridgeId,
    keyId: j.keyId,
    ...(j.alias ? { alias: j.alias } : {}),
    keyState: key?.state ?? "Unknown",
    ...(key ? { origin: key.row.origin } : {}),
    hsmKey: { source: j.hsmSource, label: j.hsmLabel },
    algorithm: j.algorithm,
    warnings: j.warnings,
    state: j.state,
    step: j.step,
    ...(j.error ? { error: j.error } : {}),
    ...(j.tokenExpires !== null && j.step !== "imported" ? { tokenExpiresAt: iso(j.tokenExpires) } : {}),
    ...(j.kcv ? { kcv: j.kcv } : {}),
    ...(j.materialDays !== null ? { materialExpiresInDays: j.materialDays } : {}),
    ...(expire !== null ? { materialExpiresAt: iso(expire), materialDaysLeft: daysLeft(expire, now) } : {}),
    ...(j.importedAt !== null ? { importedAt: iso(j.importedAt) } : {}),
    imports: j.imports,
    canReimport: settled && j.kcv !== null && key?.state === "PendingImport",
  };
}
