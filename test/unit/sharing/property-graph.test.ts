// More engine properties (fast-check): protected terms hidden anywhere in allow-listed nested
// custom content (values and keys) never leave; TLP is never served above the audience's
// ceiling; in random reference graphs every served reference resolves in the served view.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../../src/sharing/policy.js';
import { isTlpMarkingId, tlpOf, tlpRank } from '../../../src/stix/tlp.js';
import { TLP, VALIDATOR, run, type Obj } from './support.js';
import {
  seededIdentity,
  seededIndicator,
  seededMalware,
  seededNote,
  seededRelationship,
  seededReport,
  seededSighting,
  uuidFor,
} from '../../support/builders.js';

const EXT = `extension-definition--${uuidFor('prop-ext')}`;
const permissive = makePolicy({
  id: 'nested',
  tlpCeiling: 'amber',
  allowedCustomProperties: ['x_details'],
  allowedExtensions: [EXT],
});

const TERMS = [
  'Kian Power',
  'KianPowerCo',
  'KPC',
  'Dariush Karimi',
  'شرکت برق کیان',
  'kianpower.ir',
  '10.20.7.7',
];
const SKELETONS = ['kianpower', 'kianpowerco', 'dariushkarimi', 'شرکتبرقکیان', 'kianpowerir'];

function skeleton(text: string): string {
  return [...text.normalize('NFKC').toLowerCase()]
    .map((c) => ({ ي: 'ی', ك: 'ک' })[c] ?? c)
    .filter((c) => /[\p{L}\p{N}]/u.test(c))
    .join('');
}

function leaks(json: string): boolean {
  const strings: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string') {
      if (key !== 'id' && !key.endsWith('_ref') && !key.endsWith('_refs'))
        strings.push(v.replace(/Victim-[A-Z2-7]{8}/g, ' '));
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        strings.push(k);
        walk(x, k);
      }
  };
  walk(JSON.parse(json));
  return strings.some((s) => {
    const sk = skeleton(s);
    if (SKELETONS.some((t) => sk.includes(t))) return true;
    const words = s.toLowerCase().split(/[^\p{L}\p{N}.]+/u);
    return words.includes('kpc') || s.includes('10.20.7.7');
  });
}

const word = fc.constantFrom('alpha', 'beta', 'gamma', 'loader', 'config', 'path', 'c2', 'note');
const planted = fc
  .tuple(word, fc.constantFrom(...TERMS), word)
  .map(([a, t, b]) => `${a} ${t} ${b}`);
const leaf = fc.oneof(word, planted, fc.integer(), fc.boolean());
const key = fc.oneof(word, fc.constantFrom('KianPowerCo_token', 'kianpower.ir', 'Kian Power'));
const nested: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node;

describe('nested custom content', () => {
  it('never leaks a planted term from allow-listed nested properties or extensions', () => {
    fc.assert(
      fc.property(nested, nested, (details, extension) => {
        const m = seededMalware('nested', {
          x_details: details,
          extensions: { [EXT]: { extension_type: 'property-extension', data: extension } },
        });
        const r = run([m], {}, permissive);
        expect(r.served, JSON.stringify(r.withheld)).toHaveLength(1);
        for (const s of r.served) expect(leaks(s.json), s.json).toBe(false);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

const MARKINGS = [TLP.clear, TLP.green, TLP.amber, TLP.amberStrict, TLP.red, TLP.white1, TLP.red1];

describe('TLP', () => {
  it('never serves an object above the ceiling, whatever its markings and the collection default', () => {
    fc.assert(
      fc.property(
        fc.subarray(MARKINGS),
        fc.constantFrom('clear', 'green', 'amber', 'amber+strict', 'red') as fc.Arbitrary<
          'clear' | 'green' | 'amber' | 'amber+strict' | 'red'
        >,
        fc.constantFrom('clear', 'green', 'amber') as fc.Arbitrary<'clear' | 'green' | 'amber'>,
        (markings, defaultTlp, ceiling) => {
          const obj = seededIndicator(
            'tlp',
            markings.length > 0 ? { object_marking_refs: markings } : {},
          );
          const r = run([obj], { defaultTlp }, makePolicy({ id: 'c', tlpCeiling: ceiling }));
          const level = tlpOf(obj);
          const effective = level === 'none' ? defaultTlp : level;
          const allowed =
            effective !== 'red' &&
            effective !== 'amber+strict' &&
            tlpRank(effective) <= tlpRank(ceiling);
          expect(r.served.length).toBe(allowed ? 1 : 0);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe('reference graphs', () => {
  it('serves only references that resolve in the served view, valid objects, deterministically', () => {
    let servedTotal = 0;
    let withheldTotal = 0;
    const node = fc.record({
      kind: fc.constantFrom(
        'identity',
        'malware',
        'indicator',
        'relationship',
        'sighting',
        'report',
        'note',
      ),
      red: fc.boolean(),
      targets: fc.array(fc.nat(11), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(40), { maxLength: 3 }),
        (nodes, dangling) => {
          const ids = nodes.map((n, i) => `${n.kind}--${uuidFor(`g${i}`)}`);
          const pick = (t: number): string => ids[t % ids.length]!;
          const extra = dangling.map((d) => `malware--${uuidFor(`missing${d}`)}`);
          const objects: Obj[] = nodes.map((n, i) => {
            const seed = `g${i}`;
            const marks = n.red ? { object_marking_refs: [TLP.red] } : {};
            const refs = [...n.targets.map(pick), ...extra];
            switch (n.kind) {
              case 'identity':
                return seededIdentity(seed, { name: 'Kian Power', ...marks });
              case 'malware':
                return seededMalware(seed, marks);
              case 'indicator':
                return seededIndicator(seed, marks);
              case 'relationship':
                return seededRelationship(
                  seed,
                  pick(n.targets[0]!),
                  refs.at(-1)!,
                  'related-to',
                  marks,
                );
              case 'sighting':
                return seededSighting(seed, pick(n.targets[0]!), {
                  where_sighted_refs: refs.filter((r) => r.startsWith('identity--')),
                  ...marks,
                });
              case 'report':
                return seededReport(seed, refs, marks);
              default:
                return seededNote(seed, refs, marks);
            }
          });
          for (const o of objects)
            if (Array.isArray(o.where_sighted_refs) && o.where_sighted_refs.length === 0)
              delete o.where_sighted_refs;
          const r = run(objects);
          const served = new Set(r.served.map((s) => s.derivedId));
          for (const s of r.served) {
            const refs: string[] = [];
            const walk = (v: unknown, k = ''): void => {
              if (typeof v === 'string' && (k.endsWith('_ref') || k.endsWith('_refs')))
                refs.push(v);
              else if (Array.isArray(v)) v.forEach((x) => walk(x, k));
              else if (v && typeof v === 'object')
                for (const [kk, x] of Object.entries(v)) walk(x, kk);
            };
            walk(s.object);
            for (const ref of refs) expect(served.has(ref) || isTlpMarkingId(ref), ref).toBe(true);
            expect(VALIDATOR.validateObject(s.object, { mode: 'permissive' })).toEqual({
              ok: true,
            });
          }
          expect(r.served.length + r.withheld.length).toBe(objects.length);
          servedTotal += r.served.length;
          withheldTotal += r.withheld.length;
          expect(run(objects).served.map((s) => s.json)).toEqual(r.served.map((s) => s.json));
        },
      ),
      { numRuns: 150, seed: 99 },
    );
    // Not vacuous: both outcomes happen often.
    expect(servedTotal).toBeGreaterThan(150);
    expect(withheldTotal).toBeGreaterThan(150);
  });
});
