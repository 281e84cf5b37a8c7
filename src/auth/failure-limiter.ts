// Rate limit on failed authentications, per client address: a token bucket of `failures`
// that refills evenly over `windowSeconds`. Each failure takes one token; with the bucket
// empty, further failures from that address get 429 (with Retry-After) instead of 401 until a
// token is back. The authenticator consults it only after a credential has failed, so a
// client whose token verifies is never refused because others share its address.
//
// In memory and per instance: behind a load balancer of N instances an address gets up to
// N times the allowance. That is acceptable for throttling guessing (tokens are 256-bit
// signatures, not passwords); a shared limit belongs to the proxy in front.
import { isIPv4, isIPv6 } from 'node:net';
import { TooManyRequestsError } from '../errors.js';

export interface FailureLimiterOptions {
  /** Bucket size; 0 disables the limiter. */
  failures: number;
  windowSeconds: number;
  /** Addresses tracked at most; the stalest are forgotten first (bounds memory under a flood). */
  maxAddresses?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface FailureLimiter {
  /** Throws TooManyRequestsError when `address` has no failures left. */
  check(address: string): void;
  recordFailure(address: string): void;
  /** Addresses currently tracked (for tests and metrics). */
  size(): number;
}

export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const capacity = options.failures;
  const refillPerMs = capacity / (options.windowSeconds * 1000);
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order; re-inserting on update makes it LRU.
  const buckets = new Map<string, Bucket>();

  function current(address: string): Bucket | undefined {
    const bucket = buckets.get(address);
    if (!bucket) return undefined;
    const t = now();
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + Math.max(0, t - bucket.updatedAt) * refillPerMs,
    );
    bucket.updatedAt = t;
    if (bucket.tokens >= capacity) {
      buckets.delete(address); // full again: nothing to remember
      return undefined;
    }
    return bucket;
  }

  return {
    check(rawAddress) {
      if (capacity === 0) return;
      const address = clientKey(rawAddress);
      const bucket = current(address);
      if (bucket && bucket.tokens < 1) {
        throw new TooManyRequestsError(
          Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)),
        );
      }
    },
    recordFailure(rawAddress) {
      if (capacity === 0) return;
      const address = clientKey(rawAddress);
      const bucket = current(address) ?? { tokens: capacity, updatedAt: now() };
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      buckets.delete(address);
      buckets.set(address, bucket);
      while (buckets.size > maxAddresses) {
        const oldest = buckets.keys().next().value;
        if (oldest === undefined) break;
        buckets.delete(oldest);
      }
    },
    size() {
      return buckets.size;
    },
  };
}

/**
 * The bucket an address belongs to. An IPv4-mapped IPv6 address is its IPv4 address; other
 * IPv6 addresses count per /64, the smallest block one subscriber usually holds (otherwise a
 * single host could rotate through 2^64 fresh buckets).
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
