import { describe, expect, it } from 'vitest';
import {
  manifestVersion,
  partnerCollectionText,
} from '../../../../src/sharing/rules/r12-surfaces.js';
import { pseudonymizeId } from '../../../../src/sharing/pseudonym.js';
import { originalsOfPseudonyms } from '../../../../src/sharing/rules/r04-pseudonyms.js';
import { KEY, KIAN_IDENTITY, run, servedOf } from '../support.js';
import { seededIdentity, seededMalware } from '../../../support/builders.js';

describe('R12 TAXII surfaces', () => {
  it('keeps id and modified of derived objects', () => {
    const m = seededMalware('m', {
      description: 'at Kian Power',
      modified: '2026-04-01T00:00:00.000Z',
    });
    const out = servedOf(run([m]), m.id);
    expect(out.id).toBe(m.id);
    expect(out.modified).toBe('2026-04-01T00:00:00.000Z');
    expect(manifestVersion(out)).toBe('2026-04-01T00:00:00.000Z');
  });

  it('derives every version of an object like the latest (same pseudonymous id, same reduction)', () => {
    const v1 = seededIdentity('k', {
      id: KIAN_IDENTITY,
      name: 'Kian Power',
      modified: '2026-01-01T00:00:00.000Z',
      created: '2026-01-01T00:00:00.000Z',
    });
    const v2 = {
      ...v1,
      modified: '2026-02-01T00:00:00.000Z',
      description: 'now with Dariush Karimi as contact',
    };
    const r = run([v1, v2]);
    expect(r.served).toHaveLength(2);
    expect(r.served[0]!.derivedId).toBe(r.served[1]!.derivedId);
    expect(r.served.map((s) => (s.object as { description?: string }).description)).toEqual([
      undefined,
      undefined,
    ]);
    expect(r.served.map((s) => s.object.modified)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
  });

  it('serves a revoked version through the engine like any other', () => {
    const m = seededMalware('rv', { revoked: true, description: 'withdrawn: it was Kian Power' });
    const out = servedOf(run([m]), m.id);
    expect(out.revoked).toBe(true);
    expect(out.description).not.toContain('Kian');
  });

  it('shows partners their own collection title, never the internal one', () => {
    expect(
      partnerCollectionText({
        title: 'Kian Power incident 2026',
        partnerTitle: 'Energy sector IOCs',
      }),
    ).toEqual({ title: 'Energy sector IOCs' });
    expect(
      partnerCollectionText({ title: 'Kian Power incident 2026', description: 'internal' }),
    ).toEqual({ title: 'Shared collection' });
  });
});

describe('finding the original of a pseudonymous id', () => {
  it('maps requested pseudonyms back among the stored candidates', () => {
    const p = pseudonymizeId;
    const key = KEY;
    const other = 'identity--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const found = originalsOfPseudonyms(
      [p(key, KIAN_IDENTITY), 'identity--00000000-0000-4000-8000-000000000000'],
      [other, KIAN_IDENTITY],
      key,
    );
    expect([...found]).toEqual([[p(key, KIAN_IDENTITY), KIAN_IDENTITY]]);
  });
});
