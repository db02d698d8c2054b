import { sql as keys } from "./001_keys";
import { sql as roleAssignments } from "./002_role_assignments";
import { sql as kms } from "./003_kms";
import { sql as ceremonies } from "./004_ceremonies";
import { sql as keySearch } from "./005_key_search";
import { sql as kmsImportJobs } from "./006_kms_import_jobs";
import { sql as kmsImportKeyDescription } from "./007_kms_import_key_description";
import { sql as securityDomain } from "./008_security_domain";
import { sql as quorumRecords } from "./009_quorum_records";
import { sql as sdRecoveries } from "./010_sd_recoveries";

export interface Migration {
  /** Sortable and unique; recorded in schema_migrations. Never rename or edit one that has shipped. */
  id: string;
  sql: string;
}

/**
 * In order of application. Migrations are TypeScript modules rather than .sql files so that Next.js,
 * tsx and vitest all bundle or load them without reading the file system.
 */
export const MIGRATIONS: readonly Migration[] = [
  { id: "001_keys", sql: keys },
  { id: "002_role_assignments", sql: roleAssignments },
  { id: "003_kms", sql: kms },
  { id: "004_ceremonies", sql: ceremonies },
  { id: "005_key_search", sql: keySearch },
  { id: "006_kms_import_jobs", sql: kmsImportJobs },
  { id: "007_kms_import_key_description", sql: kmsImportKeyDescription },
  { id: "008_security_domain", sql: securityDomain },
  { id: "009_quorum_records", sql: quorumRecords },
  { id: "010_sd_recoveries", sql: sdRecoveries },
];
