// Reloads are audited in one place, the runtime: a successful one as policy.reload with the old
// and new revisions, a failed one as policy.reload_failed with the configuration key that broke
// it, the running model kept. Built over a fake store that records what is appended.
import { describe, expect, it } from 'vitest';
import { parseSharingConfig } from '../../../src/config/sharing-config.js';
import { ConfigError } from '../../../src/errors.js';
import { createSharingRuntime, type LoadedSharing } from '../../../src/partner/runtime.js';
import { createStixValidator } from '../../../src/stix/validate.js';
import type { AuditRecord, Store } from '../../../src/store/types.js';

function modelWithRevision(revision: number): LoadedSharing['model'] {
  return parseSharingConfig({
    own_identity: { id: 'identity--0b3c1d5e-7f2a-4c8b-9d0e-1f2a3b4c5d6e', name: 'CERT' },
    master_key_file: 'unused',
    policies: [{ id: 'p', revision, tlp_ceiling: 'amber' }],
    groups: [{ id: 'g1', name: 'ISAC', policy: 'p' }],
  });
}

function runtimeOverFakeStore() {
  const appended: AuditRecord[] = [];
  const store = {
    appendAudit: async (records: AuditRecord[]) => void appended.push(...records),
  } as unknown as Store;
  const runtime = createSharingRuntime({
    store,
    validator: createStixValidator(),
    loaded: { model: modelWithRevision(1), master: Buffer.alloc(32, 7), keyFile: '/k1' },
    cacheBytes: 0,
  });
  return { runtime, appended };
}

const by = { actor: 'admin-1', role: 'admin' as const, at: () => 42 };

describe('sharing runtime reload', () => {
  it('swaps the model and audits policy.reload with both revisions', async () => {
    const { runtime, appended } = runtimeOverFakeStore();
    const outcome = await runtime.reload(
      () => ({ model: modelWithRevision(2), master: Buffer.alloc(32, 8), keyFile: '/k2' }),
      by,
    );
    expect(outcome.current.policies).toEqual({ p: 2 });
    expect(runtime.revisions().policies).toEqual({ p: 2 });
    expect(runtime.keyFile()).toBe('/k2');
    expect(appended).toEqual([
      {
        at: 42,
        actor: 'admin-1',
        role: 'admin',
        groups: [],
        action: 'policy.reload',
        details: { previous: outcome.previous, current: outcome.current },
      },
    ]);
    expect(outcome.previous.policies).toEqual({ p: 1 });
    await runtime.close();
  });

  it('keeps the running model when the load fails and audits policy.reload_failed with the key', async () => {
    const { runtime, appended } = runtimeOverFakeStore();
    const failure = new ConfigError('sharing.master_key_file', 'cannot read /k2 (ENOENT)');
    await expect(
      runtime.reload(() => {
        throw failure;
      }, by),
    ).rejects.toBe(failure);
    expect(runtime.revisions().policies).toEqual({ p: 1 });
    expect(runtime.keyFile()).toBe('/k1');
    expect(appended).toEqual([
      {
        at: 42,
        actor: 'admin-1',
        role: 'admin',
        groups: [],
        action: 'policy.reload_failed',
        details: { key: 'sharing.master_key_file' },
      },
    ]);
    await runtime.close();
  });

  it('names no key but "internal" when the load fails for another reason', async () => {
    const { runtime, appended } = runtimeOverFakeStore();
    await expect(
      runtime.reload(() => {
        throw new Error('secret content must not be audited');
      }, by),
    ).rejects.toThrow();
    expect(appended.map((r) => r.details)).toEqual([{ key: 'internal' }]);
    await runtime.close();
  });
});
