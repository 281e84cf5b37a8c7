// Protection from a flooding client that holds a valid token: a per-principal request rate
// (token bucket refilled evenly over a minute; 429 with Retry-After when empty) and a cap on
// the requests this instance serves at once (503 with Retry-After beyond it). Both in memory
// and per instance, like the failure limiter.
import type { RequestHandler } from 'express';
import type { Principal } from '../auth/principal.js';
import { ServerBusyError, TooManyRequestsError } from '../errors.js';

/** At most this many principals are tracked; the stalest are forgotten first. */
const MAX_PRINCIPALS = 10_000;

/** Takes one request from the principal's allowance; throws TooManyRequestsError when empty. */
export function principalRateLimit(
  perMinute: number,
  now: () => number = Date.now,
): (principal: Principal) => void {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (principal) => {
    if (perMinute === 0) return;
    const key = `${principal.role}:${principal.subject}`;
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
    bucket.at = t;
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > MAX_PRINCIPALS) buckets.delete(buckets.keys().next().value as string);
    if (bucket.tokens < 1)
      throw new TooManyRequestsError(
        Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)),
      );
    bucket.tokens -= 1;
  };
}

/** Counts a request from arrival until its response is finished or the socket is gone. */
export function concurrencyCap(max: number): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
    if (max === 0) return next();
    if (inFlight >= max) throw new ServerBusyError(1);
    inFlight++;
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
