import { describe, expect, it } from 'vitest';
import type { CollectionRecord, NewObject, Store } from '../../../src/store/types.js';
import { ingestObjects } from '../../../src/taxii/ingest.js';
import type { ObjectValidator } from '../../../src/taxii/deps.js';

const collection = {
  id: '00000000-0000-4000-8000-000000000001',
  apiRoot: 'api1',
  title: 't',
  read: { roles: ['analyst'], groups: [] },
  write: { roles: ['analyst'], groups: [] },
  validation: 'strict',
  defaultTlp: 'amber',
  createdAt: 0,
} as CollectionRecord;

const indicator = (i: number): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
});

describe('ingestObjects', () => {
  it('lets other work run while it validates a large envelope, and stores only at the end', async () => {
    const events: string[] = [];
    const validator: ObjectValidator = {
      validateObject(obj) {
        events.push(`validate ${String((obj as { id: string }).id).slice(-3)}`);
        return { ok: true };
      },
    };
    const store = {
      addObjects: (_: string, objects: NewObject[], now: number) => {
        events.push(`store ${objects.length}`);
        return Promise.resolve(
          objects.map((o) => ({
            id: o.id,
            outcome: 'added' as const,
            version: o.version,
            dateAdded: now,
          })),
        );
      },
    } as unknown as Store;
    const items = Array.from({ length: 250 }, (_, i) => indicator(i));
    // Work another request queued before the envelope's validation started.
    setImmediate(() => events.push('other request'));
    const result = await ingestObjects(store, validator, collection, items, 1_000_000);
    expect(result.successes).toHaveLength(250);
    const other = events.indexOf('other request');
    // It ran between two objects of the envelope, not only after all of them.
    expect(other).toBeGreaterThan(0);
    expect(other).toBeLessThan(events.indexOf('validate 249'));
    // And nothing was stored before every object was validated.
    expect(events.at(-1)).toBe('store 250');
    expect(events.filter((e) => e.startsWith('store'))).toEqual(['store 250']);
  });
});
