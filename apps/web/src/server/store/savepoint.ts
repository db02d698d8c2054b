import type { Db } from "./db";

/**
 * A transaction inside a transaction is a savepoint: the inner part can fail and be rolled back
 * without aborting the caller's outer work.
 */
export async function withSavepoint<T>(tx: Db, depth: number, fn: () => Promise<T>): Promise<T> {
  const name = `keyward_sp_${depth}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

export function refuseCloseInTransaction(): Promise<void> {
  return Promise.reject(new Error("close the database handle, not a transaction"));
}
