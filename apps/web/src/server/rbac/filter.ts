import { TargetError } from "@keyward/shared";

/** A parsed roleAssignments `$filter`. */
export interface AssignmentFilter {
  atScope: boolean;
  principalId?: string;
}

const AT_SCOPE = /^atScope\(\)$/i;
/** OData string literal: single-quoted, a quote inside doubled. */
const PRINCIPAL = /^principalId\s+eq\s+'((?:[^']|'')*)'$/i;

/**
 * Parses the filters Azure's roleAssignments list accepts (rbac.json): `atScope()`,
 * `principalId eq '<id>'`, or both joined by `and`. Anything else is a 400, not silently ignored —
 * an ignored filter would list more than the caller asked for.
 */
export function parseAssignmentFilter(raw: string | null): AssignmentFilter {
  if (raw === null || raw.trim() === "") return { atScope: false };
  const result: AssignmentFilter = { atScope: false };
  for (const clause of raw.trim().split(/\s+and\s+/i)) {
    const c = clause.trim();
    const principal = PRINCIPAL.exec(c);
    if (AT_SCOPE.test(c) && !result.atScope) result.atScope = true;
    else if (principal?.[1] !== undefined && result.principalId === undefined) result.principalId = principal[1].replace(/''/g, "'");
    else throw new TargetError("BadParameter", `Unsupported $filter: ${raw}. Use atScope(), principalId eq '<id>', or both joined by 'and'.`);
  }
  return result;
}

const ROLE_NAME = /^roleName\s+eq\s+'((?:[^']|'')*)'$/i;

/** roleDefinitions accepts `roleName eq '<name>'`; undefined means no filter. */
export function parseDefinitionFilter(raw: string | null): string | undefined {
  if (raw === null || raw.trim() === "") return undefined;
  const m = ROLE_NAME.exec(raw.trim());
  if (m?.[1] === undefined) throw new TargetError("BadParameter", `Unsupported $filter: ${raw}. Use roleName eq '<name>'.`);
  return m[1].replace(/''/g, "'");
}
