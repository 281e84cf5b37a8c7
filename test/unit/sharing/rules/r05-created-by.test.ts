import { describe, expect, it } from 'vitest';
import { CERT_ID, KIAN_IDENTITY, MITRE_ID, run, servedOf } from '../support.js';
import { seededIdentity, seededMalware, seededNote } from '../../../support/builders.js';

const cert = seededIdentity('cert', { id: CERT_ID, name: 'Example National CERT' });

describe('R5 created_by_ref', () => {
  it('re-attributes objects authored by a protected identity to the CERT', () => {
    const m = seededMalware('m', { created_by_ref: KIAN_IDENTITY });
    expect(servedOf(run([cert, m]), m.id).created_by_ref).toBe(CERT_ID);
  });

  it('re-attributes objects of an identity the registry does not know (e.g. a contributing partner)', () => {
    const m = seededMalware('p', {
      created_by_ref: 'identity--9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    });
    expect(servedOf(run([cert, m]), m.id).created_by_ref).toBe(CERT_ID);
  });

  it('keeps allow-listed authors', () => {
    const mitre = seededIdentity('mitre', { id: MITRE_ID, name: 'The MITRE Corporation' });
    const m = seededMalware('mm', { created_by_ref: MITRE_ID });
    expect(servedOf(run([mitre, m]), m.id).created_by_ref).toBe(MITRE_ID);
  });

  it('drops the author reference when the CERT identity is not in the view', () => {
    const m = seededMalware('nv', { created_by_ref: KIAN_IDENTITY });
    expect(servedOf(run([m]), m.id).created_by_ref).toBeUndefined();
  });

  it('drops authors of notes', () => {
    const m = seededMalware('target');
    const note = seededNote('n', [m.id], { authors: ['Dariush Karimi', 'analyst 7'] });
    expect(servedOf(run([m, note]), note.id).authors).toBeUndefined();
  });
});
