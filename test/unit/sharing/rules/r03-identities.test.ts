import { describe, expect, it } from 'vitest';
import { generalizeSector } from '../../../../src/sharing/rules/r03-identities.js';
import { makePolicy } from '../../../../src/sharing/policy.js';
import { pseudonymizeId, entityLabel } from '../../../../src/sharing/pseudonym.js';
import {
  KEY,
  KIAN_IDENTITY,
  MITRE_ID,
  env,
  isWithheld,
  run,
  servedOf,
  type Obj,
} from '../support.js';
import { seededIdentity, seededLocation } from '../../../support/builders.js';

const kian = (): Obj =>
  seededIdentity('kian', {
    id: KIAN_IDENTITY,
    name: 'Kian Power Company',
    description: 'Electric utility in Gilan, contact Dariush Karimi',
    roles: ['victim'],
    sectors: ['utilities'],
    contact_information: 'soc@kianpower.ir, +98 13 3333 4444',
    labels: ['constituent'],
    external_references: [{ source_name: 'crm', external_id: 'CUST-0042' }],
    x_internal_id: 42,
  });

describe('R3 identities', () => {
  it('reduces a protected identity to pseudonymous id, label, class and generalized sector', () => {
    const r = run([kian()]);
    const served = r.served[0]!;
    expect(served.derivedId).toBe(pseudonymizeId(KEY, KIAN_IDENTITY));
    expect(served.object).toEqual({
      type: 'identity',
      spec_version: '2.1',
      id: pseudonymizeId(KEY, KIAN_IDENTITY),
      created: served.object.created,
      modified: served.object.modified,
      name: entityLabel(KEY, 'kian-power'),
      identity_class: 'organization',
      sectors: ['critical-infrastructure'],
    });
  });

  it('treats an identity the registry does not know as protected', () => {
    const stranger = seededIdentity('stranger', {
      name: 'Some Small Clinic',
      description: 'patient zero',
      sectors: ['healthcare'],
    });
    const out = servedOf(run([stranger]), stranger.id);
    expect(out.name).toMatch(/^Victim-[A-Z2-7]{8}$/);
    expect(out.description).toBeUndefined();
    expect(out.sectors).toBeUndefined(); // not on the ladder: nothing qualifies
    expect(out.id).not.toBe(stranger.id);
  });

  it('leaves allow-listed identities as they are', () => {
    const mitre = seededIdentity('mitre', { id: MITRE_ID, name: 'The MITRE Corporation' });
    expect(servedOf(run([mitre]), MITRE_ID)).toEqual(mitre);
  });

  it('keeps the markings of a reduced identity', () => {
    const marked = {
      ...kian(),
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    };
    expect(servedOf(run([marked]), KIAN_IDENTITY).object_marking_refs).toEqual(
      marked.object_marking_refs,
    );
  });

  it('climbs the sector ladder until k constituents share the label', () => {
    expect(
      generalizeSector('electric-utility', env({ policy: makePolicy({ id: 'p', kAnonymity: 2 }) })),
    ).toBe('electric-utility');
    expect(
      generalizeSector('electric-utility', env({ policy: makePolicy({ id: 'p', kAnonymity: 3 }) })),
    ).toBe('energy');
    expect(
      generalizeSector('electric-utility', env({ policy: makePolicy({ id: 'p', kAnonymity: 5 }) })),
    ).toBe('critical-infrastructure');
    expect(
      generalizeSector('electric-utility', env({ policy: makePolicy({ id: 'p', kAnonymity: 6 }) })),
    ).toBeUndefined();
  });

  it('drops sectors when no label on the ladder reaches k', () => {
    const r = run([kian()], {}, makePolicy({ id: 'p', tlpCeiling: 'amber', kAnonymity: 50 }));
    expect(servedOf(r, KIAN_IDENTITY).sectors).toBeUndefined();
  });

  it('reduces a location to country and region with a pseudonymous id', () => {
    const loc = seededLocation('plant', {
      name: 'Kian Rasht plant',
      latitude: 37.28,
      longitude: 49.58,
    });
    const out = servedOf(run([loc]), loc.id);
    expect(Object.keys(out).sort()).toEqual([
      'country',
      'created',
      'id',
      'modified',
      'region',
      'spec_version',
      'type',
    ]);
    expect(out.id).toBe(pseudonymizeId(KEY, loc.id));
  });

  it('withholds a location that has neither country nor region', () => {
    const loc = seededLocation('gps', {
      country: undefined,
      region: undefined,
      latitude: 37.28,
      longitude: 49.58,
    });
    delete loc.country;
    delete loc.region;
    expect(isWithheld(run([loc]), loc.id)).toBe(true);
  });

  it('withholds translations of a protected identity', () => {
    const lc = {
      type: 'language-content',
      spec_version: '2.1',
      id: 'language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      object_ref: KIAN_IDENTITY,
      object_modified: '2026-03-14T09:26:53.589Z',
      contents: { fa: { description: 'شرکت توزیع برق استان گیلان' } },
    };
    expect(isWithheld(run([kian(), lc]), lc.id)).toBe(true);
  });
});
