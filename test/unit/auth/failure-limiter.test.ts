import { describe, expect, it } from 'vitest';
import { clientKey, createFailureLimiter } from '../../../src/auth/failure-limiter.js';
import { TooManyRequestsError } from '../../../src/errors.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function retryAfter(fn: () => void): number {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TooManyRequestsError);
    return (error as TooManyRequestsError).retryAfterSeconds;
  }
  throw new Error('not limited');
}

describe('failure limiter', () => {
  it('allows a burst of failures, then refuses', () => {
    const c = clock();
    const limiter = createFailureLimiter({ failures: 3, windowSeconds: 60, now: c.now });
    for (let i = 0; i < 3; i++) {
      limiter.check('10.0.0.1');
      limiter.recordFailure('10.0.0.1');
    }
    expect(retryAfter(() => limiter.check('10.0.0.1'))).toBe(20);
  });

  it('keeps addresses apart', () => {
    const c = clock();
    const limiter = createFailureLimiter({ failures: 1, windowSeconds: 60, now: c.now });
    limiter.recordFailure('10.0.0.1');
    expect(() => limiter.check('10.0.0.1')).toThrow(TooManyRequestsError);
    expect(() => limiter.check('10.0.0.2')).not.toThrow();
  });

  it('refills one failure per window/failures', () => {
    const c = clock();
    const limiter = createFailureLimiter({ failures: 3, windowSeconds: 60, now: c.now });
    for (let i = 0; i < 3; i++) limiter.recordFailure('a');
    c.advance(10_000);
    expect(retryAfter(() => limiter.check('a'))).toBe(10);
    c.advance(10_000);
    expect(() => limiter.check('a')).not.toThrow();
    limiter.recordFailure('a');
    expect(() => limiter.check('a')).toThrow(TooManyRequestsError);
  });

  it('forgets an address once its bucket is full again', () => {
    const c = clock();
    const limiter = createFailureLimiter({ failures: 2, windowSeconds: 60, now: c.now });
    limiter.recordFailure('a');
    expect(limiter.size()).toBe(1);
    c.advance(60_000);
    limiter.check('a');
    expect(limiter.size()).toBe(0);
  });

  it('bounds the number of tracked addresses', () => {
    const c = clock();
    const limiter = createFailureLimiter({
      failures: 5,
      windowSeconds: 60,
      maxAddresses: 100,
      now: c.now,
    });
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBe(100);
  });

  it('is disabled with failures: 0', () => {
    const limiter = createFailureLimiter({ failures: 0, windowSeconds: 60 });
    for (let i = 0; i < 100; i++) limiter.recordFailure('a');
    expect(() => limiter.check('a')).not.toThrow();
  });
});

describe('clientKey', () => {
  it('keeps IPv4 addresses', () => {
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
  });

  it('unwraps IPv4-mapped IPv6 addresses', () => {
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('groups IPv6 addresses by /64', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it('makes a host rotating through its /64 share one bucket', () => {
    const limiter = createFailureLimiter({ failures: 2, windowSeconds: 60 });
    limiter.recordFailure('2001:db8:1:2::1');
    limiter.recordFailure('2001:db8:1:2::2');
    expect(() => limiter.check('2001:db8:1:2::3')).toThrow(TooManyRequestsError);
    expect(() => limiter.check('2001:db8:1:3::1')).not.toThrow();
  });
});
