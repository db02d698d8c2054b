import { dataAction, type DataAction } from "./data-actions.js";

/** A role: the GUID (`name` on the wire), its display name and the data actions it grants. */
export interface RoleDefinition {
  /** GUID; the wire `id` is `ROLE_DEFINITION_ID_PREFIX + name`. */
  name: string;
  roleName: string;
  /** "" for built-ins, as the service returns them. */
  description: string;
  type: "AKVBuiltInRole" | "CustomRole";
  /** May end in `/*` (a custom role's wildcard); built-ins list every action. */
  dataActions: readonly string[];
  notDataActions: readonly string[];
  assignableScopes: readonly string[];
}

/** Managed HSM writes role definition ids relative to the provider, not to a subscription. */
export const ROLE_DEFINITION_ID_PREFIX = "Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/";

function builtIn(name: string, roleName: string, actions: readonly DataAction[]): RoleDefinition {
  return { name, roleName, description: "", type: "AKVBuiltInRole", dataActions: actions, notDataActions: [], assignableScopes: ["/"] };
}

const d = dataAction;

/**
 * The built-in roles exactly as the live service lists them (facts §5.2: keyvault-admin recording, build
 * 1.0.20221011), data actions in the service's order. "Managed HSM Restore" is in the docs only (the
 * recording predates it), so its name and actions come from docs `managed-hsm/built-in-roles.md`.
 */
export const BUILT_IN_ROLES = [
  builtIn("a290e904-7015-4bba-90c8-60543313cdb4", "Managed HSM Administrator", [
    d("roleAssignments/delete/action"),
    d("roleAssignments/read/action"),
    d("roleAssignments/write/action"),
    d("roleDefinitions/read/action"),
    d("roleDefinitions/write/action"),
    d("roleDefinitions/delete/action"),
    d("securitydomain/download/action"),
    d("securitydomain/download/read"),
    d("securitydomain/upload/action"),
    d("securitydomain/upload/read"),
    d("securitydomain/transferkey/read"),
    d("backup/start/action"),
    d("restore/start/action"),
    d("backup/status/action"),
    d("restore/status/action"),
    d("settings/read/action"),
    d("settings/write/action"),
  ]),
  builtIn("515eb02d-2335-4d2d-92f2-b1cbdf9c3778", "Managed HSM Crypto Officer", [
    d("roleAssignments/delete/action"),
    d("roleAssignments/read/action"),
    d("roleAssignments/write/action"),
    d("roleDefinitions/read/action"),
    d("roleDefinitions/write/action"),
    d("roleDefinitions/delete/action"),
    d("keys/deletedKeys/read/action"),
    d("keys/deletedKeys/delete"),
    d("keys/deletedKeys/recover/action"),
    d("keys/export/action"),
  ]),
  builtIn("21dbd100-6940-42c2-9190-5d6cb909625b", "Managed HSM Crypto User", [
    d("roleDefinitions/read/action"),
    d("roleAssignments/read/action"),
    d("keys/read/action"),
    d("keys/write/action"),
    d("keys/delete"),
    d("keys/create"),
    d("keys/rotate/action"),
    d("keys/import/action"),
    d("keys/release/action"),
    d("keys/backup/action"),
    d("keys/restore/action"),
    d("keys/encrypt/action"),
    d("keys/decrypt/action"),
    d("keys/wrap/action"),
    d("keys/unwrap/action"),
    d("keys/sign/action"),
    d("keys/verify/action"),
    d("keys/derive/action"),
    d("rng/action"),
  ]),
  builtIn("4bd23610-cdcf-4971-bdee-bdc562cc28e4", "Managed HSM Policy Administrator", [
    d("roleDefinitions/read/action"),
    d("roleDefinitions/write/action"),
    d("roleDefinitions/delete/action"),
    d("roleAssignments/read/action"),
    d("roleAssignments/write/action"),
    d("roleAssignments/delete/action"),
  ]),
  builtIn("2c18b078-7c48-4d3a-af88-5a3a1b3f82b3", "Managed HSM Crypto Auditor", [
    d("roleAssignments/read/action"),
    d("roleDefinitions/read/action"),
    d("keys/read/action"),
    d("keys/deletedKeys/read/action"),
  ]),
  builtIn("33413926-3206-4cdd-b39a-83574fe37a17", "Managed HSM Crypto Service Encryption User", [
    d("keys/read/action"),
    d("keys/wrap/action"),
    d("keys/unwrap/action"),
  ]),
  builtIn("21dbd100-6940-42c2-9190-5d6cb909625c", "Managed HSM Crypto Service Release User", [d("keys/release/action")]),
  builtIn("7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8", "Managed HSM Backup User", [
    d("backup/start/action"),
    d("backup/status/action"),
    d("keys/backup/action"),
  ]),
  builtIn("6efe6056-5259-49d2-8b3d-d3d73544b20b", "Managed HSM Restore", [
    d("restore/start/action"),
    d("restore/status/action"),
    d("keys/restore/action"),
  ]),
] as const satisfies readonly RoleDefinition[];

/** Role GUIDs by a short name, for code that seeds or checks assignments. */
export const BUILT_IN_ROLE_IDS = {
  administrator: "a290e904-7015-4bba-90c8-60543313cdb4",
  cryptoOfficer: "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
  cryptoUser: "21dbd100-6940-42c2-9190-5d6cb909625b",
  policyAdministrator: "4bd23610-cdcf-4971-bdee-bdc562cc28e4",
  cryptoAuditor: "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3",
  cryptoServiceEncryptionUser: "33413926-3206-4cdd-b39a-83574fe37a17",
  cryptoServiceReleaseUser: "21dbd100-6940-42c2-9190-5d6cb909625c",
  backup: "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
  restore: "6efe6056-5259-49d2-8b3d-d3d73544b20b",
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The role GUID a `roleDefinitionId` names. Clients send the full MHSM id (what a role definition's `id`
 * says), an ARM-style `/providers/…/roleDefinitions/<guid>`, or the bare GUID; all mean the same role.
 * Returns undefined for anything else.
 */
export function roleDefinitionName(roleDefinitionId: string): string | undefined {
  const last = roleDefinitionId.split("/roleDefinitions/").at(-1)?.toLowerCase() ?? "";
  const isBare = !roleDefinitionId.includes("/");
  const hasKnownPrefix = isBare || roleDefinitionId.includes("providers/Microsoft.Authorization/roleDefinitions/");
  return hasKnownPrefix && GUID.test(last) ? last : undefined;
}

export function roleDefinitionId(name: string): string {
  return `${ROLE_DEFINITION_ID_PREFIX}${name}`;
}

/** Looks a role up by its id in any accepted form. */
export function findRole(roles: readonly RoleDefinition[], roleDefinitionIdOrName: string): RoleDefinition | undefined {
  const name = roleDefinitionName(roleDefinitionIdOrName);
  return name === undefined ? undefined : roles.find((r) => r.name === name);
}

/** The wire shape of a role definition (rbac.json `RoleDefinition`). */
export interface RoleDefinitionWire {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleDefinitions";
  properties: {
    roleName: string;
    description: string;
    type: RoleDefinition["type"];
    permissions: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }[];
    assignableScopes: string[];
  };
}

export function roleDefinitionToWire(role: RoleDefinition): RoleDefinitionWire {
  return {
    id: roleDefinitionId(role.name),
    name: role.name,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: role.roleName,
      description: role.description,
      type: role.type,
      permissions: [{ actions: [], notActions: [], dataActions: [...role.dataActions], notDataActions: [...role.notDataActions] }],
      assignableScopes: [...role.assignableScopes],
    },
  };
}
