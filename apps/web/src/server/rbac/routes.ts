import {
  BUILT_IN_ROLES,
  RoleAssignmentCreateBodySchema,
  RoleAssignmentNameSchema,
  TargetError,
  findRole,
  isHsmWide,
  parseScope,
  roleAssignmentToWire,
  roleDefinitionId,
  roleDefinitionToWire,
  sameScope,
  scopeCovers,
  type OperationName,
  type RoleAssignment,
  type RoleDefinition,
  type RoleScope,
} from "@keyward/shared";
import { parseAssignmentFilter, parseDefinitionFilter } from "./filter";
import type { RoleAssignmentStore } from "./store";

/**
 * Azure's access-control API on the local target (facts §5.1):
 *   GET|PUT|DELETE /{scope}/providers/Microsoft.Authorization/roleAssignments/{name}
 *   GET            /{scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=…]
 *   GET            /{scope}/providers/Microsoft.Authorization/roleDefinitions[/{name}][?$filter=roleName eq '…']
 * The router authenticates, then asks `matchRbacRoute` what the request needs, checks `operation` at
 * `scope` through the one authorizer, and only then calls `run`. `run` throws TargetError for the
 * router's error → response mapping.
 */
export interface RbacRoute {
  operation: OperationName;
  scope: RoleScope;
  run(req: Request): Promise<Response>;
}

export interface RbacDeps {
  store: RoleAssignmentStore;
  roles?: readonly RoleDefinition[];
}

const PROVIDER = /^(.*?)\/providers\/Microsoft\.Authorization\/(roleAssignments|roleDefinitions)(?:\/([^/]+))?\/?$/i;
const MAX_BODY_BYTES = 8 * 1024;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

const assignmentNotFound = () => new TargetError("NotFound", "Requested role assignment not found.", "RoleAssignmentNotFound");
const definitionNotFound = () => new TargetError("NotFound", "Requested role definition not found.", "RoleDefinitionNotFound");

function assignmentName(raw: string): string {
  const parsed = RoleAssignmentNameSchema.safeParse(decodeURIComponent(raw));
  if (!parsed.success) throw new TargetError("BadParameter", "The role assignment name must be a GUID.");
  return parsed.data;
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new TargetError("PayloadTooLarge", "The request body is too large.");
  try {
    return JSON.parse(text);
  } catch {
    throw new TargetError("BadParameter", "The request body is not valid JSON.");
  }
}

/**
 * Which assignments a list at `scope` shows. No filter: those that apply at the scope and those below it.
 * atScope(): only those that apply at it (made at it or above). principalId: restricts either.
 */
function listed(a: RoleAssignment, scope: RoleScope, atScope: boolean): boolean {
  const appliesHere = scopeCovers(a.scope, scope);
  const below = isHsmWide(scope) && !isHsmWide(a.scope);
  return appliesHere || (!atScope && below);
}

function assignmentRoutes(method: string, scope: RoleScope, name: string | undefined, deps: RbacDeps): RbacRoute {
  const { store } = deps;
  const roles = deps.roles ?? BUILT_IN_ROLES;
  const atThisScope = async (n: string) => {
    const a = await store.get(n);
    // An assignment is addressed under its own scope; under another it does not exist.
    if (!a || !sameScope(a.scope, scope)) throw assignmentNotFound();
    return a;
  };
  if (name === undefined) {
    if (method !== "GET") throw new TargetError("MethodNotAllowed", `${method} is not supported on role assignment lists.`);
    return {
      operation: "listRoleAssignments",
      scope,
      async run(req) {
        const filter = parseAssignmentFilter(new URL(req.url).searchParams.get("$filter"));
        const all = await store.list(filter.principalId === undefined ? {} : { principalId: filter.principalId });
        return json(200, { value: all.filter((a) => listed(a, scope, filter.atScope)).map(roleAssignmentToWire) });
      },
    };
  }
  switch (method) {
    case "GET":
      return { operation: "getRoleAssignment", scope, run: async () => json(200, roleAssignmentToWire(await atThisScope(assignmentName(name)))) };
    case "DELETE":
      return {
        operation: "deleteRoleAssignment",
        scope,
        async run() {
          const existing = await atThisScope(assignmentName(name));
          const removed = await store.delete(existing.name);
          if (!removed) throw assignmentNotFound();
          return json(200, roleAssignmentToWire(removed));
        },
      };
    case "PUT":
      return {
        operation: "createRoleAssignment",
        scope,
        async run(req) {
          const n = assignmentName(name);
          const body = RoleAssignmentCreateBodySchema.safeParse(await readJson(req));
          if (!body.success) throw new TargetError("BadParameter", "The body must be {\"properties\":{\"roleDefinitionId\",\"principalId\"}}.");
          const role = findRole(roles, body.data.properties.roleDefinitionId);
          if (!role) {
            throw new TargetError("BadParameter", `The role definition '${body.data.properties.roleDefinitionId}' does not exist.`, "RoleDefinitionNotFound");
          }
          const stored = await store.put({ name: n, scope, principalId: body.data.properties.principalId, roleDefinitionId: roleDefinitionId(role.name) });
          return json(201, roleAssignmentToWire(stored));
        },
      };
    default:
      throw new TargetError("MethodNotAllowed", `${method} is not supported on role assignments.`);
  }
}

function definitionRoutes(method: string, scope: RoleScope, name: string | undefined, deps: RbacDeps): RbacRoute {
  const roles = deps.roles ?? BUILT_IN_ROLES;
  if (method !== "GET") {
    // Custom roles (PUT/DELETE) are not offered: only the built-ins exist on this target.
    throw new TargetError("MethodNotAllowed", "Custom role definitions are not supported by this target; only the built-in roles exist.");
  }
  if (name === undefined) {
    return {
      operation: "listRoleDefinitions",
      scope,
      async run(req) {
        const roleName = parseDefinitionFilter(new URL(req.url).searchParams.get("$filter"));
        const value = roles.filter((r) => roleName === undefined || r.roleName.toLowerCase() === roleName.toLowerCase());
        return json(200, { value: value.map(roleDefinitionToWire) });
      },
    };
  }
  return {
    operation: "getRoleDefinition",
    scope,
    async run() {
      const role = findRole(roles, decodeURIComponent(name));
      if (!role) throw definitionNotFound();
      return json(200, roleDefinitionToWire(role));
    },
  };
}

/**
 * Matches an access-control request. Undefined when the path is not one; throws TargetError for a path
 * that is one but names an invalid scope (400) or an unsupported method (405) — call it after
 * authentication, so an anonymous caller gets the 401 challenge first.
 */
export function matchRbacRoute(req: Request, deps: RbacDeps): RbacRoute | undefined {
  const m = PROVIDER.exec(new URL(req.url).pathname);
  if (!m) return undefined;
  const [, rawScope = "", collection = "", name] = m;
  const scope = parseScope(decodeURIComponent(rawScope));
  if (scope === undefined) throw new TargetError("BadParameter", "The scope must be '/', '/keys' or '/keys/{key-name}'.");
  return collection.toLowerCase() === "roleassignments"
    ? assignmentRoutes(req.method, scope, name, deps)
    : definitionRoutes(req.method, scope, name, deps);
}
