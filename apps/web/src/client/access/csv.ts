import type { Matrix } from "./matrix";

/**
 * A CSV cell (RFC 4180 quoting). A value a spreadsheet would run as a formula (= + - @ tab CR at the
 * start) is prefixed with an apostrophe: principal names come from identity providers, not from us.
 */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The matrix as shown (filters applied): one row per principal, one column per data action, yes/no. */
export function matrixCsv(m: Matrix): string {
  const header = ["principal_id", "principal_name", "principal_kind", "scope", "roles", ...m.actions];
  const lines = m.rows.map((r) => [
    r.principal.id,
    r.principal.name ?? r.principal.username ?? "",
    r.principal.kind,
    m.scope,
    r.roles.map((x) => `${x.roleName} (${x.scope})`).join("; "),
    ...m.actions.map((a) => (r.granted.has(a) ? "yes" : "no")),
  ]);
  return `${[header, ...lines].map((l) => l.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** A file name for the export: `keyward-access-keys-payments.csv` for scope `/keys/payments`. */
export function csvFileName(m: Matrix): string {
  const slug = m.scope === "/" ? "hsm" : m.scope.slice(1).replace(/\//g, "-");
  return `keyward-access-${slug}.csv`;
}
