import { z } from "zod";

/** Every Managed HSM data action carries this prefix on the wire and in role definitions. */
export const MHSM_DATA_ACTION_PREFIX = "Microsoft.KeyVault/managedHsm/";

/**
 * The Managed HSM data actions: rbac.json's `DataAction` enum plus the four the live service emits in
 * its built-in roles but the enum lacks (keys/rotate, keys/derive, settings/read, settings/write).
 * Facts §5.1. Listed without the prefix so the table stays readable; `DATA_ACTIONS` adds it.
 */
const SUFFIXES = [
  "keys/read/action",
  "keys/write/action",
  "keys/create",
  "keys/delete",
  "keys/import/action",
  "keys/export/action",
  "keys/release/action",
  "keys/rotate/action",
  "keys/derive/action",
  "keys/backup/action",
  "keys/restore/action",
  "keys/encrypt/action",
  "keys/decrypt/action",
  "keys/wrap/action",
  "keys/unwrap/action",
  "keys/sign/action",
  "keys/verify/action",
  "keys/deletedKeys/read/action",
  "keys/deletedKeys/recover/action",
  "keys/deletedKeys/delete",
  "roleAssignments/read/action",
  "roleAssignments/write/action",
  "roleAssignments/delete/action",
  "roleDefinitions/read/action",
  "roleDefinitions/write/action",
  "roleDefinitions/delete/action",
  "securitydomain/download/action",
  "securitydomain/download/read",
  "securitydomain/upload/action",
  "securitydomain/upload/read",
  "securitydomain/transferkey/read",
  "backup/start/action",
  "backup/status/action",
  "restore/start/action",
  "restore/status/action",
  "settings/read/action",
  "settings/write/action",
  "rng/action",
] as const;

type Suffix = (typeof SUFFIXES)[number];
export type DataAction = `${typeof MHSM_DATA_ACTION_PREFIX}${Suffix}`;

/** Builds a full data action from its suffix; the type rejects a misspelt suffix at compile time. */
export function dataAction(suffix: Suffix): DataAction {
  return `${MHSM_DATA_ACTION_PREFIX}${suffix}`;
}

export const DATA_ACTIONS: readonly DataAction[] = SUFFIXES.map(dataAction);

export const DataActionSchema = z.enum(DATA_ACTIONS as [DataAction, ...DataAction[]]);

export function isDataAction(value: string): value is DataAction {
  return (DATA_ACTIONS as readonly string[]).includes(value);
}
