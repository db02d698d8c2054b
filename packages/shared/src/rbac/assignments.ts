import { z } from "zod";
import { RoleScopeSchema, type RoleScope } from "./scope.js";

/** A role assignment as the target stores it. `roleDefinitionId` is the full MHSM id. */
export interface RoleAssignment {
  /** GUID, lower case; unique across the HSM. */
  name: string;
  scope: RoleScope;
  principalId: string;
  roleDefinitionId: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Assignment names are client-chosen GUIDs; folded to lower case so lookups do not depend on case. */
export const RoleAssignmentNameSchema = z
  .string()
  .regex(GUID, { error: "role assignment name must be a GUID" })
  .transform((s) => s.toLowerCase());

/**
 * A principal id: an Entra object id, or an OIDC provider's `sub`, which may be any string — so only
 * bounded, not shaped.
 */
export const PrincipalIdSchema = z.string().min(1).max(256);

/** The PUT body of Azure's roleAssignments API (rbac.json `RoleAssignmentCreateParameters`). */
export const RoleAssignmentCreateBodySchema = z.object({
  properties: z.object({
    roleDefinitionId: z.string().min(1).max(512),
    principalId: PrincipalIdSchema,
  }),
});

export const RoleAssignmentSchema = z.object({
  name: RoleAssignmentNameSchema,
  scope: RoleScopeSchema,
  principalId: PrincipalIdSchema,
  roleDefinitionId: z.string().min(1),
});

/** The wire shape of a role assignment, as the service returns it. */
export interface RoleAssignmentWire {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleAssignments";
  properties: { scope: RoleScope; roleDefinitionId: string; principalId: string };
}

/** `id` is the assignment's path: `/providers/…/<name>` at "/", `/keys/providers/…/<name>` below it. */
export function roleAssignmentToWire(a: RoleAssignment): RoleAssignmentWire {
  const prefix = a.scope === "/" ? "" : a.scope;
  return {
    id: `${prefix}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    name: a.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: { scope: a.scope, roleDefinitionId: a.roleDefinitionId, principalId: a.principalId },
  };
}
