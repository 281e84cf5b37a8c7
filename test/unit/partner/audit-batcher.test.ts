// R14 audit batching: records reach the store in batches, on flush, and survive a failed write.
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/store/types.js';
import { createAuditBatcher } from '../../../src/partner/audit-batcher.js';

const record = (i: number): AuditRecord => ({
  at: i,
  actor: 'p',
  role: 'partner',
  groups: ['g1'],
  action: 'objects.read',
});

describe('createAuditBatcher', () => {
  it('appends queued records in one call on flush', async () => {
    const calls: AuditRecord[][] = [];
    const batcher = createAuditBatcher(
      { appendAudit: async (r) => void calls.push(r) },
      { intervalMs: 60_000 },
    );
    batcher.add(record(1));
    batcher.add(record(2));
    expect(calls).toEqual([]);
    await batcher.flush();
    expect(calls).toEqual([[record(1), record(2)]]);
    expect(batcher.pending()).toBe(0);
  });

  it('writes as soon as a batch is full', async () => {
    const calls: AuditRecord[][] = [];
    const batcher = createAuditBatcher(
      { appendAudit: async (r) => void calls.push(r) },
      { intervalMs: 60_000, maxBatch: 2 },
    );
    batcher.add(record(1));
    batcher.add(record(2));
    await batcher.flush();
    expect(calls[0]).toEqual([record(1), record(2)]);
  });

  it('keeps the records of a failed write for the next one and reports the failure', async () => {
    let fail = true;
    const stored: AuditRecord[] = [];
    const errors: unknown[] = [];
    const batcher = createAuditBatcher(
      {
        appendAudit: async (r) => {
          if (fail) throw new Error('store down');
          stored.push(...r);
        },
      },
      { intervalMs: 60_000, onError: (e) => errors.push(e) },
    );
    batcher.add(record(1));
    await batcher.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    batcher.add(record(2));
    await batcher.close();
    expect(stored).toEqual([record(1), record(2)]);
  });
});
