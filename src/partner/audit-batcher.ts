// R14: partner reads are audited without a store write per request. Records are queued and
// appended in one call every `intervalMs` or `maxBatch` records, and on flush()/close() (the
// admin audit endpoint flushes before it reads, so an admin always sees every read so far).
import type { AuditRecord, Store } from '../store/types.js';

export interface AuditBatcher {
  add(record: AuditRecord): void;
  /** Appends everything queued so far. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
  pending(): number;
}

export interface AuditBatcherOptions {
  intervalMs?: number;
  maxBatch?: number;
  /** Past this many queued records (a store that keeps failing), the oldest are dropped and reported. */
  maxQueued?: number;
  onError?: (error: unknown, dropped: number) => void;
}

export function createAuditBatcher(
  store: Pick<Store, 'appendAudit'>,
  options: AuditBatcherOptions = {},
): AuditBatcher {
  const intervalMs = options.intervalMs ?? 250;
  const maxBatch = options.maxBatch ?? 200;
  const maxQueued = options.maxQueued ?? 100_000;
  let queue: AuditRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await store.appendAudit(batch);
      } catch (error) {
        // Keep the records for the next attempt, within the bound.
        queue = batch.concat(queue);
        const dropped = Math.max(0, queue.length - maxQueued);
        if (dropped > 0) queue = queue.slice(dropped);
        options.onError?.(error, dropped);
        return;
      }
    }
  };
  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    running = running.then(write);
    return running;
  };
  return {
    add(record) {
      queue.push(record);
      if (queue.length >= maxBatch) void flush();
      else if (timer === undefined) {
        timer = setTimeout(() => void flush(), intervalMs);
        timer.unref();
      }
    },
    flush,
    async close() {
      await flush();
    },
    pending: () => queue.length,
  };
}
