import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../../../src/sharing/policy.js';
import { entityLabel } from '../../../../src/sharing/pseudonym.js';
import { KEY, isWithheld, run, servedOf } from '../support.js';
import { seededMalware, seededSco, uuidFor } from '../../../support/builders.js';

const EXT = `extension-definition--${uuidFor('ext')}`;
const allowing = makePolicy({
  id: 'custom',
  tlpCeiling: 'amber',
  allowedCustomProperties: ['x_family_notes'],
  allowedExtensions: [EXT],
  allowedCustomTypes: ['x-c2-profile'],
});

describe('R8 custom content', () => {
  it('drops x_ properties that are not allow-listed', () => {
    const m = seededMalware('x', { x_victim_ticket: 'INC-4411', x_family_notes: 'loader' });
    const out = servedOf(run([m]), m.id);
    expect(out.x_victim_ticket).toBeUndefined();
    expect(out.x_family_notes).toBeUndefined();
  });

  it('keeps allow-listed properties and still redacts them', () => {
    const m = seededMalware('xa', { x_family_notes: 'first seen at Kian Power' });
    expect(servedOf(run([m], {}, allowing), m.id).x_family_notes).toBe(
      `first seen at ${entityLabel(KEY, 'kian-power')}`,
    );
  });

  it('drops unknown non-x_ top-level properties (top-level property extensions)', () => {
    const m = seededMalware('tl', { victim_site: 'Rasht' });
    expect(servedOf(run([m]), m.id).victim_site).toBeUndefined();
  });

  it('drops extensions that are not allow-listed and keeps predefined SCO extensions', () => {
    const f = seededSco('file', 'ext-file', {
      name: 'a.exe',
      extensions: {
        'windows-pebinary-ext': { pe_type: 'exe' },
        [`extension-definition--${uuidFor('other')}`]: {
          extension_type: 'property-extension',
          owner: 'x',
        },
      },
    });
    expect(Object.keys(servedOf(run([f]), f.id).extensions as object)).toEqual([
      'windows-pebinary-ext',
    ]);
  });

  it('keeps an allow-listed extension', () => {
    const m = seededMalware('ae', {
      extensions: { [EXT]: { extension_type: 'property-extension', score: 7 } },
    });
    expect(servedOf(run([m], {}, allowing), m.id).extensions).toEqual({
      [EXT]: { extension_type: 'property-extension', score: 7 },
    });
  });

  it('withholds custom object types unless allow-listed', () => {
    const custom = {
      type: 'x-c2-profile',
      spec_version: '2.1',
      id: `x-c2-profile--${uuidFor('c2p')}`,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'profile',
    };
    expect(isWithheld(run([custom]), custom.id)).toBe(true);
    expect(run([custom], {}, allowing).served.map((s) => s.originalId)).toEqual([custom.id]);
  });
});

describe('R8 deprecated embedded observables', () => {
  it('drops observed-data `objects` and withholds the observed-data that has nothing else', () => {
    const od = {
      type: 'observed-data',
      spec_version: '2.1',
      id: `observed-data--${uuidFor('od')}`,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      first_observed: '2026-01-01T00:00:00.000Z',
      last_observed: '2026-01-01T00:00:00.000Z',
      number_observed: 1,
      objects: { '0': { type: 'ipv4-addr', value: '10.20.1.1' } },
    };
    expect(isWithheld(run([od]), od.id)).toBe(true);
  });
});
