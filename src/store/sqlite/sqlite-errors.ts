// Turns SQLite failures that are about the file, not the request (another writer holding the
// lock past busy_timeout, a full disk, an I/O error) into UnavailableError, which the HTTP
// layer answers with 503; everything else propagates unchanged.
import Database from 'better-sqlite3';
import { UnavailableError } from '../../errors.js';

const unavailableCodes = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL)/;

export function translateSqliteError(error: unknown): unknown {
  if (error instanceof Database.SqliteError && unavailableCodes.test(error.code)) {
    // Clients learn the condition, not the engine: the code stays in the cause (logged), and
    // the message may contain a path, so it is not repeated.
    const busy = /^SQLITE_(BUSY|LOCKED)/.test(error.code);
    return new UnavailableError(busy ? 'store busy' : 'store unavailable', { cause: error });
  }
  return error;
}

/** Runs one synchronous store operation and settles a promise with its outcome. */
export async function guarded<T>(operation: () => T): Promise<T> {
  try {
    return operation();
  } catch (error) {
    throw translateSqliteError(error);
  }
}
