// Micro-benchmark of cold partner derivation (not a test): the sharing engine's per-object CPU
// without HTTP. The speed benchmark's corpus and 600-entity registry (bench/speed/corpus.ts)
// are stored in a temporary SQLite store; its pages (limit 1000, the partner's visibility) are
// read and prepared (neighbourhood, hidden versions) untimed, then runDerive — the call a
// partner page makes on a cache miss — is timed page by page on a fresh sharing state.
//
// Pass 1 runs with the process's forms memo empty (a first partner crawl), pass 2 on a new
// state again (a reload: the forms memo is warm, everything else cold). Prints objects/s per
// pass (wall and CPU time) and a golden digest: SHA-256 over every derived output in order (served ids and bytes,
// withheld ids and reasons, rule hits), which an optimization must leave unchanged.
//
//   npx tsx bench/derive.ts [objects=5000]         one run, one line of JSON
//   DERIVE_SRC=/other/checkout/src npx tsx bench/derive.ts   the same on another tree's src/
//   DERIVE_PROFILE=file.cpuprofile …                  a CPU profile of pass 1
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusObject, OWN_IDENTITY, registryEntities, SECTOR_LADDER } from './speed/corpus.js';

const objectCount = Number(process.argv[2] ?? 5000);
const pageSize = 1000;
const here = path.dirname(fileURLToPath(import.meta.url));
const srcRoot = process.env.DERIVE_SRC ?? path.join(here, '..', 'src');
const profileFile = process.env.DERIVE_PROFILE;

/* eslint-disable @typescript-eslint/no-explicit-any -- modules of another checkout, loaded by path */
const load = (file: string): Promise<any> => import(pathToFileURL(path.join(srcRoot, file)).href);
const { parseSharingConfig } = await load('config/sharing-config.ts');
const { createSharingState, audienceOf } = await load('partner/state.ts');
const { visibilityOf } = await load('partner/visibility.ts');
const { prepareView, runDerive } = await load('partner/prepare.ts');
const { createStixValidator } = await load('stix/validate.ts');
const { openSqliteStore } = await load('store/sqlite/sqlite-store.ts');
const { toNewObject } = await load('taxii/ingest.ts');
const { LATEST_SPEC_VERSIONS } = await load('stix/spec-versions.ts');
/* eslint-enable @typescript-eslint/no-explicit-any */

const COLLECTION = {
  id: '5a1e0000-0000-4000-8000-00000000b3c4',
  apiRoot: 'api1',
  title: 'Incident 2025-041 (internal)',
  alias: 'incident',
  partnerTitle: 'Campaign indicators',
  read: { roles: ['analyst'], groups: ['energy-isac'] },
  write: { roles: ['analyst'], groups: [] },
  validation: 'permissive',
  defaultTlp: 'green',
  createdAt: 1,
};

// The sharing section bench/speed.ts configures.
const model = parseSharingConfig({
  master_key_file: '/unused',
  own_identity: OWN_IDENTITY,
  policies: [
    { id: 'isac', revision: 1, tlp_ceiling: 'amber', k_anonymity: 5, time_precision: 'day' },
  ],
  groups: [{ id: 'energy-isac', name: 'Energy ISAC', policy: 'isac' }],
  registry: {
    revision: 1,
    allowed_identities: [OWN_IDENTITY.id],
    allowed_terms: [OWN_IDENTITY.name],
    sector_ladder: SECTOR_LADDER,
    entities: registryEntities(600),
  },
});
const master = Buffer.from('bench-sharing-master-derive-0123456789');

const dir = mkdtempSync(path.join(tmpdir(), 'stixgate-derive-'));
const store = await openSqliteStore({ dataDir: dir });
await store.putCollection(COLLECTION);
const entities = registryEntities(600);
let now = 1_700_000_000_000_000;
for (let start = 0; start < objectCount; start += 1000) {
  const batch = [];
  for (let i = start; i < Math.min(objectCount, start + 1000); i++)
    batch.push(toNewObject(corpusObject(i, entities)));
  await store.addObjects(COLLECTION.id, batch, now);
  now += 10_000_000;
}

const validator = createStixValidator();
const probe = createSharingState(model, master);
const visibility = visibilityOf(audienceOf(probe, ['energy-isac']).audience, COLLECTION);
const pages: { items: unknown; around: unknown }[] = [];
let served = 0;
for (let addedAfter: number | undefined; ;) {
  const page = await store.query(COLLECTION.id, {
    versions: { kind: 'some', first: false, last: true, versions: [] },
    specVersions: LATEST_SPEC_VERSIONS,
    limit: pageSize,
    visibility,
    ...(addedAfter !== undefined && { addedAfter }),
  });
  if (page.records.length === 0) break;
  pages.push(await prepareView(store, COLLECTION, page.records, visibility));
  served += page.records.length;
  addedAfter = page.records.at(-1).dateAdded;
  if (!page.more) break;
}
await store.close();
rmSync(dir, { recursive: true, force: true });

/** One crawl on a fresh state: seconds of runDerive (wall, CPU), and the digest of everything derived. */
function pass(): { seconds: number; cpuSeconds: number; digest: string } {
  const state = createSharingState(model, master);
  const resolved = audienceOf(state, ['energy-isac']);
  const hash = createHash('sha256');
  let seconds = 0;
  let cpuSeconds = 0;
  for (const page of pages) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = runDerive({
      state,
      resolved,
      collection: COLLECTION,
      validator,
      items: page.items,
      around: page.around,
    });
    seconds += Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    cpuSeconds += (used.user + used.system) / 1e6;
    for (const s of result.served) hash.update(`S\0${s.inputIndex}\0${s.derivedId}\0${s.json}\n`);
    for (const w of result.withheld) hash.update(`W\0${w.id}\0${w.reason}\n`);
    for (const h of result.hits) hash.update(`H\0${JSON.stringify(h)}\n`);
    hash.update('P\n');
  }
  return { seconds, cpuSeconds, digest: hash.digest('hex') };
}

let session: Session | undefined;
if (profileFile !== undefined) {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const first = pass();
if (session !== undefined) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileFile!, JSON.stringify(profile));
}
const second = pass();
console.log(
  JSON.stringify({
    src: srcRoot,
    objects: served,
    pages: pages.length,
    firstPassPerSecond: Math.round(served / first.seconds),
    secondPassPerSecond: Math.round(served / second.seconds),
    // Per CPU second of the process (all its threads): steadier than wall time on a loaded machine.
    firstPassPerCpuSecond: Math.round(served / first.cpuSeconds),
    secondPassPerCpuSecond: Math.round(served / second.cpuSeconds),
    digest: first.digest,
    sameDigest: first.digest === second.digest,
  }),
);
