/**
 * A job that creates its KMS key now creates it as the runner's first step (not when the job is
 * planned), so the description the custodian gave must wait in the job until then.
 */
export const sql = `
ALTER TABLE kms_import_jobs ADD COLUMN key_description text NOT NULL DEFAULT '';
`;
