/**
 * The inventory's search (store/key-search.ts): sorting by a version's created, updated or exp walks an
 * index and stops after the page instead of sorting every key, and tag filters (`?` for presence,
 * `@>` for name=value) use a GIN index rather than reading every version's tags.
 */
export const sql = `
CREATE INDEX key_versions_created ON key_versions (created);
CREATE INDEX key_versions_updated ON key_versions (updated);
CREATE INDEX key_versions_exp ON key_versions (exp);
CREATE INDEX key_versions_tags ON key_versions USING gin (tags);
`;
