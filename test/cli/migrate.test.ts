// `stixgate migrate`: sqlite → mongodb → sqlite copies everything exactly, and re-running is
// harmless. Uses the jongodb server of test/support/global-setup.ts (or MONGODB_URI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStoreSpec, runMigrate } from '../../src/cli/commands/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import type { AuditRecord, ObjectRecord, Store } from '../../src/store/types.js';
import { testMongoUri, uniqueDbName } from '../support/mongo-server.js';
import {
  allVersions,
  at,
  makeAudit,
  makeCollection,
  makeObject,
  makeStatus,
  makeVersion,
} from '../store/conformance.js';

function mongoUri(dbName: string): string {
  const uri = new URL(testMongoUri());
  uri.pathname = `/${dbName}`;
  return uri.toString();
}

async function everything(store: Store): Promise<{
  collections: unknown;
  objects: Record<string, ObjectRecord[]>;
  revoked: unknown;
  audit: AuditRecord[];
}> {
  const collections = await store.listCollections();
  const objects: Record<string, ObjectRecord[]> = {};
  for (const collection of collections) {
    const page = await store.query(collection.id, {
      versions: allVersions,
      specVersions: ['2.0', '2.1'],
      limit: 10_000,
    });
    objects[collection.id] = page.records;
  }
  return {
    collections,
    objects,
    revoked: await store.listRevokedTokens(),
    audit: await store.queryAudit({ limit: 10_000 }),
  };
}

describe('stixgate migrate', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function tempDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-migrate-'));
    dirs.push(dir);
    return dir;
  }

  it('copies sqlite to mongodb and back exactly, and a second run copies nothing new', async () => {
    const sourceDir = tempDir();
    const source = await openStore({ dataDir: sourceDir });
    const reports = makeCollection({ alias: 'reports' });
    const empty = makeCollection({ alias: 'empty', createdAt: at(5) });
    await source.putCollection(reports);
    await source.putCollection(empty);
    const indicator = makeObject({ version: at(1) });
    await source.addObjects(
      reports.id,
      [
        indicator,
        makeObject({ version: null }),
        makeObject({ specVersion: '2.0', version: at(2) }),
      ],
      at(100),
    );
    await source.addObjects(reports.id, [makeVersion(indicator, at(3), { name: 'v2' })], at(50));
    await source.addObjects(
      reports.id,
      Array.from({ length: 1200 }, (_, i) => makeObject({ version: at(i), tlp: 'amber' })),
      at(200),
    );
    const status = makeStatus({ collectionId: reports.id });
    await source.putStatus(status);
    await source.revokeToken({ jti: 'jti-1', revokedAt: at(7), reason: 'lost laptop' });
    await source.appendAudit([
      makeAudit({ action: 'a' }),
      makeAudit({ action: 'b', collectionId: reports.id }),
    ]);
    await source.purgeAudit(at(0) + 1); // leaves a gap: seq must still be kept, not renumbered
    await source.appendAudit([makeAudit({ at: at(9), action: 'c' })]);
    const before = await everything(source);
    await source.close();

    const lines: string[] = [];
    const mongoDb = uniqueDbName();
    await runMigrate({
      from: `sqlite:${sourceDir}`,
      to: mongoUri(mongoDb),
      log: (line) => lines.push(line),
    });
    expect(lines.some((line) => /objects api1\/reports: 1204\/1204 versions/.test(line))).toBe(
      true,
    );
    expect(lines.join('\n')).not.toContain(testMongoUri().split('/')[2] + '/' + mongoDb);

    const backDir = tempDir();
    await runMigrate({ from: mongoUri(mongoDb), to: `sqlite:${backDir}`, log: () => undefined });
    const again: string[] = [];
    await runMigrate({
      from: mongoUri(mongoDb),
      to: `sqlite:${backDir}`,
      log: (line) => again.push(line),
    });
    expect(again.at(-1)).toContain('(0 new)');

    for (const target of [
      await openStore({ dataDir: '', mongodbUri: mongoUri(mongoDb) }),
      await openStore({ dataDir: backDir }),
    ]) {
      try {
        // An exact copy, plus the audit records of the migrations themselves (one per run
        // that wrote to this store, copied along on the way back).
        const copied = await everything(target);
        const migrations = copied.audit.filter((a) => a.action === 'migrate');
        expect({ ...copied, audit: copied.audit.filter((a) => a.action !== 'migrate') }).toEqual(
          before,
        );
        expect(migrations.length).toBeGreaterThan(0);
        expect(migrations[0]!.details).toMatchObject({
          source: 'cli',
          objects: 1204,
          collections: 2,
        });
        expect(JSON.stringify(migrations)).not.toContain(mongoDb);
        expect(await target.getStatus('api1', status.id)).toEqual(status);
        // New writes continue after the copied date_added and seq values.
        const [outcome] = await target.addObjects(reports.id, [makeObject()], at(1));
        expect(outcome?.outcome === 'added' && outcome.dateAdded).toBeGreaterThan(
          Math.max(...(before.objects[reports.id] ?? []).map((r) => r.dateAdded)),
        );
        await target.appendAudit([makeAudit({ action: 'd' })]);
        const audit = await target.queryAudit({ limit: 100 });
        expect(audit.at(-1)?.seq).toBeGreaterThan(before.audit.at(-1)?.seq ?? Infinity);
      } finally {
        await target.close();
      }
    }
  });

  it('refuses a spec that is neither sqlite: nor mongodb://', async () => {
    await expect(
      runMigrate({ from: 'postgres://x', to: 'sqlite:/tmp/x', log: () => undefined }),
    ).rejects.toThrow(/sqlite:PATH or a mongodb/);
  });

  it('reads sqlite:DIR and sqlite:FILE.db as the same data directory', () => {
    expect(parseStoreSpec('sqlite:/var/lib/stixgate', 'from')).toEqual({
      kind: 'sqlite',
      dataDir: '/var/lib/stixgate',
    });
    expect(parseStoreSpec('sqlite:/var/lib/stixgate/stixgate.db', 'from')).toEqual({
      kind: 'sqlite',
      dataDir: '/var/lib/stixgate',
    });
  });

  it('refuses to copy a store onto itself', async () => {
    await expect(
      runMigrate({ from: 'sqlite:/tmp/x', to: 'sqlite:/tmp/x/stixgate.db', log: () => undefined }),
    ).rejects.toThrow(/same store/);
  });
});
