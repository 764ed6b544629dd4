import pg from 'pg';
import { AppError } from '../../server/src/protocol/errors.ts';

/** Runs the work in one transaction on one pooled connection; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw asCallerError(error);
  } finally {
    client.release();
  }
}

/** PostgreSQL's "data exception" class (22…) is bad input from the caller (a NUL in a text, a time out of range): 400, not 500. */
export function asCallerError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('22')) return new AppError('VALIDATION_FAILED', 'The hub cannot store a value in this request', 400);
  return error;
}

/** The hub's pool; `max` bounds the connections one hub process opens. */
export function createPool(databaseUrl: string): pg.Pool {
  // numeric (points) and bigint (seq) come back as strings; the code converts where it reads them.
  return new pg.Pool({ connectionString: databaseUrl, max: 10, idleTimeoutMillis: 30_000 });
}
