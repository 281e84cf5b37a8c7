import { describe, expect, it } from 'vitest';
import { run, servedOf } from '../support.js';
import { seededMalware } from '../../../support/builders.js';

describe('R9 external references', () => {
  it('keeps allow-listed sources and drops the rest', () => {
    const m = seededMalware('m', {
      external_references: [
        { source_name: 'jira', url: 'https://jira.cert.internal/browse/INC-4411' },
        {
          source_name: 'mitre-attack',
          external_id: 'S0596',
          url: 'https://attack.mitre.org/software/S0596',
        },
        { source_name: 'case', external_id: 'CASE-2026-117' },
        { source_name: 'cve', external_id: 'CVE-2025-0001' },
      ],
    });
    const out = servedOf(run([m]), m.id);
    expect(out.external_references).toEqual([
      {
        source_name: 'mitre-attack',
        external_id: 'S0596',
        url: 'https://attack.mitre.org/software/S0596',
      },
      { source_name: 'cve', external_id: 'CVE-2025-0001' },
    ]);
  });

  it('drops the property when nothing is left', () => {
    const m = seededMalware('none', {
      external_references: [{ source_name: 'jira', external_id: 'INC-1' }],
    });
    expect(servedOf(run([m]), m.id).external_references).toBeUndefined();
  });

  it('renumbers granular marking selectors that pointed into the list', () => {
    const green = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
    const m = seededMalware('sel', {
      external_references: [
        { source_name: 'jira', external_id: 'INC-1' },
        { source_name: 'capec', external_id: 'CAPEC-1' },
      ],
      granular_markings: [
        {
          marking_ref: green,
          selectors: ['external_references.[1].external_id', 'external_references.[0]'],
        },
      ],
    });
    const out = servedOf(run([m]), m.id);
    expect(out.granular_markings).toEqual([
      { marking_ref: green, selectors: ['external_references.[0].external_id'] },
    ]);
  });
});
