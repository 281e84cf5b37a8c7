// Counts refused authentications for the metrics without changing what the authenticator
// decides: 429s from the failure limiter and 401s from bad credentials.
import type { Authenticator } from '../auth/authenticator.js';
import { TooManyRequestsError, UnauthenticatedError } from '../errors.js';
import type { Metrics } from './metrics.js';

export function countedAuthenticator(
  authenticator: Authenticator,
  metrics: Pick<Metrics, 'failureLimiterRefusal' | 'authenticationFailure'>,
): Authenticator {
  return {
    async authenticate(credentials) {
      try {
        return await authenticator.authenticate(credentials);
      } catch (error) {
        if (error instanceof TooManyRequestsError) metrics.failureLimiterRefusal();
        else if (error instanceof UnauthenticatedError) metrics.authenticationFailure();
        throw error;
      }
    },
  };
}
