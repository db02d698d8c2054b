// Access control on the local target: the one authorizer, assignment storage, Azure's RBAC API.
export { createAuthorizer, forbidden, type Authorizer, type Caller } from "./authorize";
export { type RoleAssignmentFilter, type RoleAssignmentStore } from "./store";
export { createMemoryRoleAssignmentStore } from "./memory-store";
export { createSqlRoleAssignmentStore, ROLE_ASSIGNMENTS_SQL, ROLE_ASSIGNMENTS_MIGRATION_ID, ROLE_ASSIGNMENT_QUERIES, type SqlQueryable } from "./sql-store";
export { matchRbacRoute, type RbacDeps, type RbacRoute } from "./routes";
export { seedEmbeddedAssignments, EMBEDDED_GRANTS } from "./seed";
export { cachedRoleAssignments } from "./cached-store";
