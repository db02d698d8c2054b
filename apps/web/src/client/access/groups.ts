import { DATA_ACTIONS, MHSM_DATA_ACTION_PREFIX, type DataAction } from "@keyward/shared";

/** The matrix's column groups, in display order; each data action falls in exactly one. */
export const ACTION_GROUPS = ["keys", "crypto", "deletedKeys", "roleAssignments", "roleDefinitions", "securityDomain", "backup", "settings", "rng"] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

const CRYPTO = new Set(["encrypt", "decrypt", "wrap", "unwrap", "sign", "verify"]);

/** The action without the Managed HSM prefix: `keys/sign/action`. */
export const actionSuffix = (action: DataAction): string => action.slice(MHSM_DATA_ACTION_PREFIX.length);

export function groupOf(action: DataAction): ActionGroup {
  const [head, second] = actionSuffix(action).split("/");
  switch (head) {
    case "keys":
      if (second === "deletedKeys") return "deletedKeys";
      return CRYPTO.has(second ?? "") ? "crypto" : "keys";
    case "roleAssignments":
      return "roleAssignments";
    case "roleDefinitions":
      return "roleDefinitions";
    case "securitydomain":
      return "securityDomain";
    case "backup":
    case "restore":
      return "backup";
    case "settings":
      return "settings";
    default:
      return "rng";
  }
}

/**
 * A column's short label within its group: `keys/deletedKeys/recover/action` → `recover`,
 * `securitydomain/download/read` → `download/read`, `backup/start/action` → `backup/start`. The full
 * action is the column's title.
 */
export function shortLabel(action: DataAction): string {
  const parts = actionSuffix(action).split("/");
  if (parts.at(-1) === "action") parts.pop();
  const group = groupOf(action);
  const drop = group === "deletedKeys" ? 2 : group === "backup" || group === "rng" ? 0 : 1;
  return parts.slice(drop).join("/") || parts.join("/");
}

/** Every data action grouped, groups in display order and actions in DATA_ACTIONS order. */
export function groupedActions(actions: readonly DataAction[] = DATA_ACTIONS): { group: ActionGroup; actions: DataAction[] }[] {
  return ACTION_GROUPS.map((group) => ({ group, actions: actions.filter((a) => groupOf(a) === group) })).filter((g) => g.actions.length > 0);
}
