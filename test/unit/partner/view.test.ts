// The partner view's last line of defence (R13): bytes taken from the cache are scanned again
// before they leave; a hit withholds the object, evicts the entry and raises an alert that
// names ids only. Built over a fake store and a poisoned cache.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/auth/principal.js';
import { parseSharingConfig } from '../../../src/config/sharing-config.js';
import type { ReadAuditEvent } from '../../../src/sharing/rules/r14-audit.js';
import { createStixValidator } from '../../../src/stix/validate.js';
import type { CollectionRecord, ObjectRecord, Store } from '../../../src/store/types.js';
import type { DerivedCache, DerivedEntry } from '../../../src/partner/derived-cache.js';
import { createSharingState } from '../../../src/partner/state.js';
import { createPartnerViewProvider, type EgressAlert } from '../../../src/partner/view.js';
import type { ReadView } from '../../../src/taxii/read-view.js';
import { versionKeyFromMicros } from '../../../src/stix/timestamp.js';

const model = parseSharingConfig({
  own_identity: {
    id: 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e',
    name: 'Example National CERT',
  },
  master_key_file: 'unused',
  policies: [{ id: 'p', revision: 1, tlp_ceiling: 'amber' }],
  groups: [{ id: 'g1', name: 'ISAC', policy: 'p' }],
  registry: {
    revision: 1,
    entities: [{ id: 'kian', names: { en: ['Kian Power Company'], fa: [] } }],
  },
});
const state = createSharingState(model, Buffer.from('a-unit-test-master-secret-of-32-bytes!!'));
/** The same model in another state: its own scanner. */
const otherState = createSharingState(
  model,
  Buffer.from('a-unit-test-master-secret-of-32-bytes!!'),
);
const collection: CollectionRecord = {
  id: '77777777-7777-4777-8777-777777777777',
  apiRoot: 'api1',
  title: 't',
  read: { roles: [], groups: ['g1'] },
  write: { roles: [], groups: [] },
  validation: 'permissive',
  defaultTlp: 'green',
  createdAt: 0,
};
const store = { query: async () => ({ records: [], more: false }) } as unknown as Store;
const principal: Principal = { subject: 'soc', role: 'partner', groups: ['g1'] };
const malware = {
  type: 'malware',
  spec_version: '2.1',
  id: 'malware--6b0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'GridSnake',
  is_family: true,
};
const record: ObjectRecord = {
  id: malware.id,
  type: 'malware',
  specVersion: '2.1',
  version: versionKeyFromMicros(1),
  dateAdded: 1,
  isLatest: true,
  isFirst: true,
  tlp: 'none',
  revoked: false,
  json: JSON.stringify(malware),
};

function cacheReturning(entry: DerivedEntry | undefined): DerivedCache & { deleted: string[] } {
  const deleted: string[] = [];
  return {
    deleted,
    get: () => entry,
    set: () => {},
    delete: (k) => void deleted.push(k),
    clear: () => {},
    stats: () => ({ entries: 0, bytes: 0, maxBytes: 0, hits: 0, misses: 0, evictions: 0 }),
  };
}

async function readWith(cache: DerivedCache) {
  const alerts: EgressAlert[] = [];
  const audits: ReadAuditEvent[] = [];
  const provider = createPartnerViewProvider({
    store,
    validator: createStixValidator(),
    state: () => state,
    cache,
    audit: (e) => audits.push(e),
    onAlert: (a) => alerts.push(a),
  });
  const view = (await provider(principal, collection)) as ReadView;
  const served = await view.derive([record], {
    principal,
    collection,
    apiRoot: 'api1',
    now: 5,
    surface: 'objects',
  });
  return { served, alerts, audits };
}

describe('partner view egress re-scan (R13)', () => {
  it('serves a clean object derived in the request', async () => {
    const { served, alerts, audits } = await readWith(cacheReturning(undefined));
    expect(served.map((r) => r.id)).toEqual([malware.id]);
    expect(alerts).toEqual([]);
    expect(audits[0]).toMatchObject({
      actor: 'soc',
      groupId: 'g1',
      withheld: 0,
      served: [{ original: malware.id, derived: malware.id }],
    });
  });

  it('withholds cached bytes holding a protected term, evicts them and alerts with ids only', async () => {
    const poisoned = { ...malware, description: 'seen at Kian Power Company' };
    const cache = cacheReturning({
      served: { derivedId: malware.id, json: JSON.stringify(poisoned) },
      hits: [],
    });
    const { served, alerts, audits } = await readWith(cache);
    expect(served).toEqual([]);
    expect(cache.deleted).toHaveLength(1);
    expect(alerts).toEqual([
      { collectionId: collection.id, groupId: 'g1', objectIds: [malware.id], rule: 'R13' },
    ]);
    expect(audits[0]).toMatchObject({ withheld: 1, served: [] });
    expect(JSON.stringify([alerts, audits])).not.toContain('Kian');
  });

  it('scans cached bytes once per scanner: a clean entry remembers the scanner that passed it', async () => {
    const entry: DerivedEntry = {
      served: { derivedId: malware.id, json: JSON.stringify(malware) },
      hits: [],
    };
    const first = await readWith(cacheReturning(entry));
    expect(first.served.map((r) => r.id)).toEqual([malware.id]);
    expect(entry.egressCleanFor).toBe(state.prepared.scanner);
    const again = await readWith(cacheReturning(entry));
    expect(again.served.map((r) => r.json)).toEqual([JSON.stringify(malware)]);
  });

  it('scans again cached bytes that another scanner passed, and withholds a protected term', async () => {
    const poisoned = { ...malware, description: 'seen at Kian Power Company' };
    expect(otherState.prepared.scanner).not.toBe(state.prepared.scanner);
    for (const cleanFor of [otherState.prepared.scanner, {}]) {
      const cache = cacheReturning({
        served: { derivedId: malware.id, json: JSON.stringify(poisoned) },
        hits: [],
        egressCleanFor: cleanFor,
      });
      const { served, alerts } = await readWith(cache);
      expect(served).toEqual([]);
      expect(cache.deleted).toHaveLength(1);
      expect(alerts.map((a) => a.objectIds)).toEqual([[malware.id]]);
    }
  });
});
