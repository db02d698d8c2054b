// Tests reach PostgreSQL here unless KEYWARD_TEST_POSTGRES_URL points elsewhere (development and CI use trust auth).
export const TEST_POSTGRES_URL = process.env.KEYWARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
