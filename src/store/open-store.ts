// The store factory: the only module that imports a backend, and only the one configured
// (lazily, so a deployment on SQLite never loads the MongoDB driver and vice versa).
import type { Store } from './types.js';

/** The part of a pino logger the factory uses. */
export interface StoreLog {
  info(fields: object, message: string): void;
}

export interface OpenStoreOptions {
  /** Directory of the embedded store's file (<dataDir>/stixgate.db). */
  dataDir: string;
  /** When set, MongoDB is used instead of the embedded store. */
  mongodbUri?: string;
  /** MongoDB: reservation timeout and the instance's name for its reservations. */
  mongodb?: { reservationTtlMs: number; instanceId: string };
  log?: StoreLog;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.mongodbUri !== undefined && options.mongodbUri !== '') {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    const store = await openMongoStore({ uri: options.mongodbUri, ...options.mongodb });
    // Never log the URI itself: it may carry credentials.
    options.log?.info(
      { backend: 'mongodb', abandonedReservations: store.abandonedAtStart },
      'store opened',
    );
    return store;
  }
  const { openSqliteStore, databaseFileName } = await import('./sqlite/sqlite-store.js');
  const store = await openSqliteStore({ dataDir: options.dataDir });
  options.log?.info(
    { backend: 'sqlite', file: `${options.dataDir}/${databaseFileName}` },
    'store opened',
  );
  return store;
}
