import { z } from "zod";
import { PrincipalIdSchema, RoleAssignmentNameSchema } from "../rbac/assignments.js";
import { RoleScopeSchema } from "../rbac/scope.js";

/**
 * Who can hold a role, for the access-control matrix: the embedded identity provider's local users and
 * the clients that can act as themselves (client_credentials), plus every principal id that appears in
 * a role assignment — with a name when the portal knows one, without one otherwise (an Entra object id,
 * an OIDC `sub`, an account since removed).
 */
export const PrincipalEntrySchema = z.object({
  id: PrincipalIdSchema,
  kind: z.enum(["user", "app", "unknown"]),
  /** Display name; absent when only the id is known. */
  name: z.string().optional(),
  /** The sign-in name (users) or client_id (apps) at the embedded identity provider. */
  username: z.string().optional(),
});
export type PrincipalEntry = z.infer<typeof PrincipalEntrySchema>;

/** GET /portal-api/principals (authorized as listRoleAssignments at `/`). */
export const PrincipalListSchema = z.object({ value: z.array(PrincipalEntrySchema) });
export type PrincipalList = z.infer<typeof PrincipalListSchema>;

/** A role assignment as Azure's roleAssignments API returns it (the UI parses the target's answers with it). */
export const RoleAssignmentWireSchema = z.object({
  id: z.string(),
  name: RoleAssignmentNameSchema,
  type: z.literal("Microsoft.Authorization/roleAssignments"),
  properties: z.object({ scope: RoleScopeSchema, roleDefinitionId: z.string().min(1), principalId: PrincipalIdSchema }),
});
export const RoleAssignmentListSchema = z.object({ value: z.array(RoleAssignmentWireSchema) });
