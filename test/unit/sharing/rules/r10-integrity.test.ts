import { describe, expect, it } from 'vitest';
import { pseudonymizeId } from '../../../../src/sharing/pseudonym.js';
import { KEY, KIAN_IDENTITY, TLP, isWithheld, run, servedOf } from '../support.js';
import {
  seededIdentity,
  seededIndicator,
  seededMalware,
  seededNote,
  seededRelationship,
  seededReport,
  seededSco,
  seededSighting,
  uuidFor,
} from '../../../support/builders.js';

describe('R10 integrity', () => {
  it('prunes references to objects not served in the view', () => {
    const i = seededIndicator('i');
    const red = seededMalware('red', { object_marking_refs: [TLP.red] });
    const rep = seededReport('r', [i.id, red.id, 'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d']);
    expect(servedOf(run([i, red, rep]), rep.id).object_refs).toEqual([i.id]);
  });

  it('keeps references to objects the caller says are served elsewhere in the view', () => {
    const outside = 'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    const rep = seededReport('r', [outside]);
    const r = run([rep], { externalIds: new Map([[outside, outside]]) });
    expect(servedOf(r, rep.id).object_refs).toEqual([outside]);
  });

  it('rewrites references to pseudonymized objects', () => {
    const victim = seededIdentity('v', { id: KIAN_IDENTITY, name: 'Kian Power' });
    const m = seededMalware('m');
    const rel = seededRelationship('rel', m.id, victim.id);
    expect(servedOf(run([victim, m, rel]), rel.id).target_ref).toBe(
      pseudonymizeId(KEY, KIAN_IDENTITY),
    );
  });

  it('rewrites references to pseudonymous identities outside the page by id alone', () => {
    const m = seededMalware('m2');
    const rel = seededRelationship('rel2', m.id, KIAN_IDENTITY);
    const ext = new Map([[KIAN_IDENTITY, pseudonymizeId(KEY, KIAN_IDENTITY)]]);
    expect(servedOf(run([m, rel], { externalIds: ext }), rel.id).target_ref).toBe(
      pseudonymizeId(KEY, KIAN_IDENTITY),
    );
  });

  it('withholds a relationship whose endpoint is not served', () => {
    const m = seededMalware('m3');
    const rel = seededRelationship('rel3', m.id, 'identity--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d');
    const r = run([m, rel]);
    expect(isWithheld(r, rel.id)).toBe(true);
    expect(r.withheld[0]!.reason).toMatch(/^R10: required target_ref/);
  });

  it('withholds a report whose object_refs are left empty', () => {
    const rep = seededReport('empty', ['malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d']);
    expect(isWithheld(run([rep]), rep.id)).toBe(true);
  });

  it('iterates to a fixpoint: withholding one object orphans the objects that needed it', () => {
    const red = seededMalware('red2', { object_marking_refs: [TLP.red] });
    const i = seededIndicator('i2');
    const rel = seededRelationship('rel4', i.id, red.id, 'indicates');
    const note = seededNote('n', [rel.id]);
    const sighting = seededSighting('s', rel.id);
    const r = run([red, i, rel, note, sighting]);
    expect(r.served.map((s) => s.originalId)).toEqual([i.id]);
    expect(r.withheld.map((w) => w.id).sort()).toEqual(
      [red.id, rel.id, note.id, sighting.id].sort(),
    );
  });

  it('keeps references to predefined TLP markings', () => {
    const m = seededMalware('tlp', { object_marking_refs: [TLP.green] });
    expect(servedOf(run([m]), m.id).object_marking_refs).toEqual([TLP.green]);
  });

  it('prunes nested references inside extensions', () => {
    const nt = seededSco('network-traffic', 'nt', {
      protocols: ['tcp'],
      dst_ref: 'ipv4-addr--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
      src_ref: 'ipv4-addr--1a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
      extensions: {
        'http-request-ext': {
          request_method: 'get',
          request_value: '/',
          message_body_data_ref: 'artifact--2a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
        },
      },
    });
    const ext = new Map([
      [
        'ipv4-addr--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
        'ipv4-addr--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
      ],
    ]);
    const out = servedOf(run([nt], { externalIds: ext }), nt.id);
    expect(out.src_ref).toBeUndefined();
    expect(out.dst_ref).toBe('ipv4-addr--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d');
    expect(out.extensions).toEqual({
      'http-request-ext': { request_method: 'get', request_value: '/' },
    });
  });

  it('withholds network traffic left without both endpoints', () => {
    const nt = seededSco('network-traffic', 'nt2', {
      protocols: ['tcp'],
      dst_ref: 'ipv4-addr--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
    });
    expect(isWithheld(run([nt]), nt.id)).toBe(true);
  });

  it('removes granular markings whose selectors all point at dropped properties', () => {
    const m = seededMalware('gm', {
      x_secret: 'y',
      granular_markings: [{ marking_ref: TLP.green, selectors: ['x_secret'] }],
    });
    expect(servedOf(run([m]), m.id).granular_markings).toBeUndefined();
  });
});

describe('R10 translations', () => {
  const lc = (
    target: { id: string; modified?: unknown },
    contents: Record<string, unknown>,
    seed: string,
  ) => ({
    type: 'language-content',
    spec_version: '2.1',
    id: `language-content--${uuidFor(seed)}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    object_ref: target.id,
    object_modified: target.modified,
    contents,
  });

  it('drops translations of properties the target lost (a granular marking above the ceiling)', () => {
    const m = seededMalware('lc-m', {
      description: 'red details',
      labels: ['x'],
      granular_markings: [{ marking_ref: TLP.red, selectors: ['description'] }],
    });
    const t = lc(m, { fa: { description: 'جزئیات محرمانه', name: 'شدوپد' } }, 'lc1');
    const out = servedOf(run([m, t]), t.id);
    expect(out.contents).toEqual({ fa: { name: 'شدوپد' } });
  });

  it('withholds a translation whose target is not derived in the view', () => {
    const t = lc(
      { id: 'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d', modified: '2026-01-01T00:00:00.000Z' },
      { fa: { name: 'x' } },
      'lc2',
    );
    const r = run([t], {
      externalIds: new Map([
        [
          'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
          'malware--0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d',
        ],
      ]),
    });
    expect(isWithheld(r, t.id)).toBe(true);
  });

  it('withholds a translation left with nothing', () => {
    const m = seededMalware('lc-m3', { x_secret: 'a' });
    const t = lc(m, { fa: { x_secret: 'b' } }, 'lc3');
    expect(isWithheld(run([m, t]), t.id)).toBe(true);
  });
});
