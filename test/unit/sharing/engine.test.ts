import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../support/corpus.js';
import { derive, servedIdOf } from '../../../src/sharing/engine.js';
import { isTlpMarkingId } from '../../../src/stix/tlp.js';
import { makePolicy } from '../../../src/sharing/policy.js';
import { pseudonymizeId } from '../../../src/sharing/pseudonym.js';
import type { ObjectValidator, TextScanner } from '../../../src/sharing/ports.js';
import {
  AUDIENCE,
  KEY,
  KIAN_IDENTITY,
  PREPARED,
  REGISTRY,
  TLP,
  VALIDATOR,
  context,
  isWithheld,
  run,
} from './support.js';
import {
  seededIdentity,
  seededIndicator,
  seededMalware,
  seededRelationship,
  seededReport,
} from '../../support/builders.js';

function incident() {
  const victim = seededIdentity('victim', {
    id: KIAN_IDENTITY,
    name: 'Kian Power Company',
    sectors: ['utilities'],
  });
  const malware = seededMalware('mal', { description: 'Implant found on SCADA gateway of KPC' });
  const indicator = seededIndicator('ind', {
    pattern: "[ipv4-addr:value = '203.0.113.50' OR ipv4-addr:value = '10.20.1.1']",
  });
  const rel = seededRelationship('rel', malware.id, victim.id);
  const report = seededReport('rep', [victim.id, malware.id, indicator.id, rel.id], {
    name: 'Kian Power intrusion',
  });
  return [victim, malware, indicator, rel, report];
}

describe('derive', () => {
  it('is deterministic: same inputs, same bytes', () => {
    const a = run(incident());
    const b = run(incident());
    expect(a.served.map((s) => s.json)).toEqual(b.served.map((s) => s.json));
    expect(a.hits).toEqual(b.hits);
  });

  it('does not modify its input objects', () => {
    const objects = incident();
    const before = JSON.stringify(objects);
    run(objects);
    expect(JSON.stringify(objects)).toBe(before);
  });

  it('gives two groups consistent but different pseudonyms', () => {
    const other = makePolicy({ id: 'other', tlpCeiling: 'amber', keyEpoch: 1 });
    const a = run(incident());
    const b = derive(
      other,
      REGISTRY,
      { ...KEY, key: Buffer.alloc(32, 7), audienceId: 'x' },
      incident(),
      context(),
    );
    const victimA = a.served.find((s) => s.originalId === KIAN_IDENTITY)!.derivedId;
    const victimB = b.served.find((s) => s.originalId === KIAN_IDENTITY)!.derivedId;
    expect(victimA).not.toBe(victimB);
    // Inside one view the relationship points at that view's pseudonym.
    expect(a.served.find((s) => s.object.type === 'relationship')!.object.target_ref).toBe(victimA);
    expect(b.served.find((s) => s.object.type === 'relationship')!.object.target_ref).toBe(victimB);
  });

  it('fails closed when a rule throws: the object is withheld with a content-free reason', () => {
    const exploding: TextScanner = {
      scan: () => {
        throw new Error('boom: Kian Power');
      },
      containsProtected: () => false,
    };
    const m = seededMalware('m', { description: 'anything' });
    const r = run([m], { tools: { scanner: exploding, validator: VALIDATOR } });
    expect(r.served).toEqual([]);
    expect(r.withheld).toEqual([
      { id: m.id, reason: 'internal: the object could not be processed' },
    ]);
  });

  it('withholds a derived object that does not validate', () => {
    const refusing: ObjectValidator = {
      validateObject: () => ({ ok: false, errors: [{ code: 'bad', path: '/x', message: 'Kian' }] }),
    };
    const m = seededMalware('v');
    const r = run([m], { tools: { scanner: PREPARED.scanner, validator: refusing } });
    expect(r.withheld).toEqual([
      { id: m.id, reason: 'R12: derived object fails validation (bad)' },
    ]);
  });

  it('withholds what is not a STIX object', () => {
    const r = run([null, 'text', { id: 'x' }]);
    expect(r.served).toEqual([]);
    expect(r.withheld).toHaveLength(3);
  });

  it('withholds types the policy withholds', () => {
    const m = seededMalware('w');
    const r = run(
      [m],
      {},
      makePolicy({ id: 'p', tlpCeiling: 'amber', withheldTypes: ['malware'] }),
    );
    expect(isWithheld(r, m.id)).toBe(true);
  });

  it('serves the predefined TLP marking-definitions as they are', () => {
    const tlp = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP.green,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:GREEN',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: 'green',
        },
      },
    };
    expect(run([tlp]).served[0]!.json).toBe(JSON.stringify(tlp));
  });

  it('gives callers the served id of an object outside the page', () => {
    expect(servedIdOf(KIAN_IDENTITY, REGISTRY, KEY)).toBe(pseudonymizeId(KEY, KIAN_IDENTITY));
    expect(servedIdOf('malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d', REGISTRY, KEY)).toBe(
      'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
    );
  });

  it('keeps the input order of served objects', () => {
    const objects = incident();
    expect(run(objects).served.map((s) => s.originalId)).toEqual(objects.map((o) => o.id));
  });
});

describe('derive over the OASIS corpus', () => {
  for (const file of loadCorpus()) {
    it(`serves only valid objects whose references resolve in the view (${file.name})`, () => {
      const r = derive(
        AUDIENCE.policy,
        REGISTRY,
        KEY,
        file.objects,
        context({ defaultTlp: 'green' }),
      );
      const servedIds = new Set(r.served.map((s) => s.derivedId));
      for (const s of r.served) {
        expect(VALIDATOR.validateObject(JSON.parse(s.json), { mode: 'permissive' })).toEqual({
          ok: true,
        });
        const refs: string[] = [];
        const collect = (node: unknown, key = ''): void => {
          if (typeof node === 'string' && (key.endsWith('_ref') || key.endsWith('_refs')))
            refs.push(node);
          else if (Array.isArray(node)) node.forEach((n) => collect(n, key));
          else if (node && typeof node === 'object')
            for (const [k, v] of Object.entries(node)) collect(v, k);
        };
        collect(s.object);
        for (const ref of refs) expect(servedIds.has(ref) || isTlpMarkingId(ref)).toBe(true);
      }
      expect(r.served.length + r.withheld.length).toBe(file.objects.length);
    });
  }
});

describe('derive with view objects', () => {
  it('keeps references to view objects it would serve, under their served id', () => {
    const victim = seededIdentity('vo-victim', { id: KIAN_IDENTITY, name: 'Kian Power' });
    const m = seededMalware('vo-m');
    const rel = seededRelationship('vo-rel', m.id, KIAN_IDENTITY);
    const r = run([m, rel], { viewObjects: [victim] });
    expect(r.served.map((s) => s.originalId)).toEqual([m.id, rel.id]);
    expect(r.served[1]!.object.target_ref).toBe(pseudonymizeId(KEY, KIAN_IDENTITY));
  });

  it('prunes references to view objects it would withhold, without reporting them', () => {
    const red = seededMalware('vo-red', { object_marking_refs: [TLP.red] });
    const i = seededIndicator('vo-i');
    const rep = seededReport('vo-rep', [i.id, red.id]);
    const r = run([rep], { viewObjects: [red, i] });
    expect(r.served[0]!.object.object_refs).toEqual([i.id]);
    expect(r.withheld).toEqual([]);
  });

  it('reports the input position of every served object (several versions of one id)', () => {
    const v1 = seededMalware('pos', { modified: '2026-03-14T09:26:53.589Z' });
    const v2 = { ...v1, modified: '2026-03-15T00:00:00.000Z' };
    const r = run([v1, seededMalware('pos-red', { object_marking_refs: [TLP.red] }), v2]);
    expect(r.served.map((s) => s.inputIndex)).toEqual([0, 2]);
  });

  it('withholds an object whose reference target fails validation in the same view', () => {
    const broken = seededMalware('broken', {
      granular_markings: [{ marking_ref: TLP.red, selectors: ['name'] }],
    });
    const rel = seededRelationship('to-broken', seededIndicator('x').id, broken.id, 'indicates');
    const r = run([broken, rel], {
      externalIds: new Map([[rel.source_ref as string, rel.source_ref as string]]),
    });
    expect(r.served).toEqual([]);
  });
});

describe('derive and TLP marking-definitions', () => {
  it('scans what was stored under a TLP marking id like any other object', () => {
    const doctored = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP.green,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:GREEN for Kian Power',
      x_note: 'internal',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: 'green',
        },
      },
    };
    const out = run([doctored]).served[0]!.object;
    expect(out.name).not.toContain('Kian');
    expect(out.x_note).toBeUndefined();
    expect(out.extensions).toEqual(doctored.extensions);
  });

  it('serves a TLP marking even when the collection default is above the ceiling', () => {
    const tlp = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP.white1,
      created: '2017-01-20T00:00:00.000Z',
      name: 'TLP:WHITE',
      definition_type: 'tlp',
      definition: { tlp: 'white' },
    };
    expect(run([tlp], { defaultTlp: 'red' }).served[0]!.json).toBe(JSON.stringify(tlp));
  });
});
