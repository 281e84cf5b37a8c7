// Validation throughput: objects validated per second for a realistic mix (the STIX corpus of
// ../shared/stix-corpus/valid/ scaled up with fresh ids, plus a share of SCOs and MISP/OpenCTI
// style custom properties), against JSON.parse of the same bytes in the same run.
// Run: npx tsx bench/validate.ts [objectCount]
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileSchemas } from '../src/stix/schema-registry.js';
import { createStixValidator } from '../src/stix/validate.js';
import { CORPUS_DIR } from '../test/support/corpus.js';

const CORPUS = `${CORPUS_DIR}/`;
const COUNT = Number(process.argv[2] ?? 50_000);
const ROUNDS = 5;

type Obj = Record<string, unknown>;

function loadCorpus(): Obj[] {
  const out: Obj[] = [];
  for (const file of readdirSync(CORPUS)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(CORPUS + file, 'utf8')) as Obj;
    out.push(...(doc['type'] === 'bundle' ? (doc['objects'] as Obj[]) : [doc]));
  }
  return out;
}

function extraObjects(i: number): Obj[] {
  const now = '2024-05-01T12:00:00.000Z';
  return [
    {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: `ipv4-addr--${randomUUID()}`,
      value: `198.51.100.${i % 250}`,
    },
    {
      type: 'domain-name',
      spec_version: '2.1',
      id: `domain-name--${randomUUID()}`,
      value: `host${i}.example`,
    },
    {
      type: 'file',
      spec_version: '2.1',
      id: `file--${randomUUID()}`,
      name: `dropper${i}.exe`,
      hashes: {
        MD5: 'd41d8cd98f00b204e9800998ecf8427e',
        'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
    },
    {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: now,
      modified: now,
      pattern: `[url:value = 'https://host${i}.example/gate.php'] OR [domain-name:value = 'host${i}.example']`,
      pattern_type: 'stix',
      valid_from: now,
      indicator_types: ['malicious-activity'],
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
      x_opencti_score: 80,
      x_misp_category: 'Network activity',
    },
    {
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${randomUUID()}`,
      created: now,
      modified: now,
      sighting_of_ref: `indicator--${randomUUID()}`,
      where_sighted_refs: [`identity--${randomUUID()}`],
      count: 3,
      first_seen: now,
      last_seen: now,
    },
  ];
}

function buildMix(count: number): Obj[] {
  const corpus = loadCorpus();
  const out: Obj[] = [];
  let i = 0;
  while (out.length < count) {
    for (const o of corpus) {
      if (out.length >= count) break;
      const id = o['id'] as string;
      // Fresh UUIDv4, same type: TLP markings keep their published ids.
      const fresh =
        o['type'] === 'marking-definition'
          ? id
          : `${id.slice(0, id.indexOf('--'))}--${randomUUID()}`;
      out.push({ ...o, id: fresh });
    }
    out.push(...extraObjects(i++));
  }
  return out.slice(0, count);
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const compileMs = time(() => compileSchemas());
const validator = createStixValidator();
const withoutPatterns = createStixValidator({ parsePattern: null });
const objects = buildMix(COUNT);
const texts = objects.map((o) => JSON.stringify(o));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

let sink = 0;
const parseOnce = () => {
  for (const t of texts) sink += (JSON.parse(t) as Obj)['id'] === undefined ? 1 : 0;
};
const validateOnce = (mode: 'strict' | 'permissive') => () => {
  for (const t of texts) {
    const r = validator.validateObject(JSON.parse(t), { mode });
    if (!r.ok && mode === 'permissive')
      throw new Error(`bench object rejected: ${JSON.stringify(r.errors[0])}`);
  }
};
// Validation alone, on objects already parsed.
const parsed = texts.map((t) => JSON.parse(t) as Obj);
const validateParsedOnce = () => {
  for (const o of parsed) sink += validator.validateObject(o, { mode: 'permissive' }).ok ? 0 : 1;
};
const validateParsedNoPatternOnce = () => {
  for (const o of parsed)
    sink += withoutPatterns.validateObject(o, { mode: 'permissive' }).ok ? 0 : 1;
};

// Warm-up (JIT) before measuring.
parseOnce();
validateOnce('permissive')();
validateParsedOnce();
validateParsedNoPatternOnce();

const parseMs: number[] = [];
const permissiveMs: number[] = [];
const strictMs: number[] = [];
const validateOnlyMs: number[] = [];
const noPatternMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  parseMs.push(time(parseOnce));
  validateOnlyMs.push(time(validateParsedOnce));
  noPatternMs.push(time(validateParsedNoPatternOnce));
  permissiveMs.push(time(validateOnce('permissive')));
  strictMs.push(time(validateOnce('strict')));
}

const perSec = (ms: number) => Math.round((COUNT / ms) * 1000);
const p = median(parseMs);
const v = median(validateOnlyMs);
const vn = median(noPatternMs);
const vp = median(permissiveMs);
const vs = median(strictMs);
const mb = bytes / 1024 / 1024;
const indicatorCount = objects.filter((o) => o['type'] === 'indicator').length;
const strictRejected = parsed.filter(
  (o) => !validator.validateObject(o, { mode: 'strict' }).ok,
).length;
console.log(
  `objects: ${COUNT} (${mb.toFixed(1)} MiB of JSON, corpus mix + SCOs/indicators/sightings), rounds: ${ROUNDS}, median shown`,
);
console.log(
  `indicators (STIX patterns parsed): ${indicatorCount}; rejected in strict mode (custom properties): ${strictRejected}`,
);
console.log(`schema compilation (once per process): ${compileMs.toFixed(0)} ms`);
console.log(
  `JSON.parse only:                 ${perSec(p).toLocaleString('en')} objects/s  (${(mb / (p / 1000)).toFixed(0)} MiB/s)  = baseline 1.00x`,
);
console.log(
  `validate only (permissive):      ${perSec(v).toLocaleString('en')} objects/s  cost ${(v / p).toFixed(2)}x JSON.parse`,
);
console.log(
  `  of which without STIX pattern parsing: ${perSec(vn).toLocaleString('en')} objects/s  cost ${(vn / p).toFixed(2)}x JSON.parse`,
);
console.log(
  `parse + validate (permissive):   ${perSec(vp).toLocaleString('en')} objects/s  cost ${(vp / p).toFixed(2)}x JSON.parse`,
);
console.log(
  `parse + validate (strict):       ${perSec(vs).toLocaleString('en')} objects/s  cost ${(vs / p).toFixed(2)}x JSON.parse`,
);
if (sink < 0) console.log(sink);
