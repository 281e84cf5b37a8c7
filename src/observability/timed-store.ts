// A Store that reports the latency of every asynchronous operation to the metrics, by method
// name. The wrapped store is untouched; non-function members (backend, transfer) pass through.
import type { Store } from '../store/types.js';
import type { Metrics } from './metrics.js';

export function timedStore(store: Store, metrics: Pick<Metrics, 'observeStore'>): Store {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const cached = wrapped.get(property);
      if (cached !== undefined) return cached;
      const fn = value as (...args: unknown[]) => unknown;
      const timed = (...args: unknown[]): unknown => {
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        let result: unknown;
        try {
          result = fn.apply(target, args);
        } catch (error) {
          metrics.observeStore(property, seconds(), false);
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (v: unknown) => {
              metrics.observeStore(property, seconds(), true);
              return v;
            },
            (error: unknown) => {
              metrics.observeStore(property, seconds(), false);
              throw error;
            },
          );
        }
        return result;
      };
      wrapped.set(property, timed);
      return timed;
    },
  });
}
