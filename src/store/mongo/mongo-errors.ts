// Turns MongoDB failures that are about the deployment, not the request (no reachable primary,
// a dropped connection, a failover in progress, a write concern that timed out) into
// UnavailableError, which the HTTP layer answers with 503 so clients retry; everything else
// propagates unchanged. Messages name the condition only: a driver message may hold host names.
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import { UnavailableError } from '../../errors.js';

/** Server error codes of a replica set changing primary or shutting down. */
const transientCodes = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Raised by this backend when compare-and-set keeps losing (date-added.ts, markers). */
export class ContentionError extends Error {}

export function translateMongoError(error: unknown): unknown {
  if (error instanceof ContentionError) {
    return new UnavailableError('store busy (contention)', { cause: error });
  }
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoWriteConcernError
  ) {
    return new UnavailableError('store unavailable', { cause: error });
  }
  if (
    error instanceof MongoError &&
    typeof error.code === 'number' &&
    transientCodes.has(error.code)
  ) {
    return new UnavailableError('store unavailable', { cause: error });
  }
  return error;
}

/** Runs one store operation, translating deployment failures. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateMongoError(error);
  }
}
