import { describe, expect, it } from 'vitest';
import { entityLabel, pseudonymizeId } from '../../../../src/sharing/pseudonym.js';
import { redactSpans } from '../../../../src/sharing/rules/r06-text.js';
import { KEY, run, servedOf } from '../support.js';
import {
  seededIndicator,
  seededMalware,
  seededReport,
  seededSco,
} from '../../../support/builders.js';

const LABEL = entityLabel(KEY, 'kian-power');

describe('R6 text', () => {
  it('replaces registry names by the entity label and keeps the rest of the text', () => {
    const m = seededMalware('m', { description: 'Deployed at Kian Power Company on 3 March.' });
    expect(servedOf(run([m]), m.id).description).toBe(`Deployed at ${LABEL} on 3 March.`);
  });

  it('finds Persian names in Arabic letters, with ZWNJ, tatweel and diacritics', () => {
    const variants = [
      'شركت برق كيان',
      'شرکت‌برق‌کیان',
      'شرکت برق کـیان',
      'شِرکت برق کیان',
      'برق\u200fکیان',
    ];
    for (const text of variants) {
      const m = seededMalware(`fa-${text}`, { description: `حمله به ${text} در اسفند` });
      const out = servedOf(run([m]), m.id).description as string;
      expect(out, text).toContain(LABEL);
      expect(out, text).not.toMatch(/کیان|كيان/);
    }
  });

  it('redacts names inside URLs, emails and file paths', () => {
    const m = seededMalware('paths', {
      description:
        'Dropped to C:\\Users\\dkarimi\\KianPowerCo\\payroll.xlsx, mailed to it@kian-mail.co.ir, see https://portal.kianpower.ir/login',
    });
    const out = servedOf(run([m]), m.id).description as string;
    expect(out).not.toMatch(/KianPowerCo|kian-mail|kianpower/i);
    expect(out).toContain('payroll.xlsx');
  });

  it('does not redact decoys: attacker domains and longer words containing an acronym', () => {
    const text = 'C2 update-cdn-microsoft.net and 203.0.113.50; KPCS and UKPC are other things.';
    const m = seededMalware('decoy', { description: text });
    expect(servedOf(run([m]), m.id).description).toBe(text);
  });

  it('redacts phone numbers and national ids whoever they belong to', () => {
    const m = seededMalware('pii', {
      description: 'Call +98 912 345 6789 (national id 0499370899).',
    });
    const out = servedOf(run([m]), m.id).description as string;
    expect(out).not.toContain('912 345 6789');
    expect(out).not.toContain('0499370899');
    expect(out).toContain('[REDACTED:');
  });

  it('walks nested values: kill chain phases, extensions, labels, external reference descriptions', () => {
    const m = seededMalware('nested', {
      labels: ['kian power incident'],
      external_references: [
        { source_name: 'mitre-attack', external_id: 'T1190', description: 'as used against KPC' },
      ],
    });
    const out = servedOf(run([m]), m.id);
    expect(out.labels).toEqual([`${LABEL} incident`]);
    expect(JSON.stringify(out.external_references)).not.toContain('KPC');
  });

  it('redacts language-content translations', () => {
    const m = seededMalware('lc-target', { description: 'backdoor' });
    const lc = {
      type: 'language-content',
      spec_version: '2.1',
      id: 'language-content--0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      object_ref: m.id,
      object_modified: m.modified,
      contents: { fa: { description: 'درب پشتی در شبکه برق کیان' } },
    };
    const out = servedOf(run([m, lc]), lc.id);
    expect(JSON.stringify(out.contents)).toContain(LABEL);
  });

  it('drops dictionary entries whose key names a victim', () => {
    const p = seededSco('process', 'proc', {
      command_line: 'run.exe',
      environment_variables: { KIANPOWERCO_TOKEN: 'x', PATH: 'C:\\bin' },
    });
    const out = servedOf(run([p]), p.id);
    expect(out.environment_variables).toEqual({ PATH: 'C:\\bin' });
  });

  it('pseudonymizes an SCO id once its values were redacted', () => {
    const f = seededSco('file', 'file', { name: 'KianPowerCo-payroll.xlsx' });
    const r = run([f]);
    expect(r.served[0]!.derivedId).toBe(pseudonymizeId(KEY, f.id));
  });

  it('keeps SDO ids when only their text changed', () => {
    const m = seededMalware('sdo-id', { description: 'seen at KPC' });
    expect(run([m]).served[0]!.derivedId).toBe(m.id);
  });

  it('drops binary payloads it cannot scan', () => {
    const a = seededSco('artifact', 'art', {
      payload_bin: 'S2lhbiBQb3dlcg==',
      mime_type: 'text/plain',
    });
    const r = run([a]);
    // An artifact needs payload_bin or url: without them it fails validation and is withheld.
    expect(r.served).toEqual([]);
  });

  it('withholds an indicator whose STIX pattern names a victim outside a comparison value', () => {
    const i = seededIndicator('xpath', { pattern: "[x-kianpowerco-asset:name = 'srv1']" });
    expect(run([i]).served).toEqual([]);
  });

  it('merges overlapping spans', () => {
    expect(
      redactSpans(
        'abcdef',
        [
          { start: 1, end: 3, kind: 'a' },
          { start: 2, end: 5, kind: 'b' },
        ],
        (h) => `<${h.kind}>`,
      ),
    ).toBe('a<a>f');
  });

  it('redacts report names and descriptions but keeps the attacker description intact', () => {
    const i = seededIndicator('ri', { description: 'Beacon to 203.0.113.50 every 60s' });
    const rep = seededReport('rep', [i.id], {
      name: 'Kian Power breach',
      description: 'Dariush Karimi reported it',
    });
    const r = run([i, rep]);
    expect(servedOf(r, rep.id).name).toBe(`${LABEL} breach`);
    expect(servedOf(r, rep.id).description).not.toContain('Karimi');
    expect(servedOf(r, i.id).description).toBe('Beacon to 203.0.113.50 every 60s');
  });
});

describe('R6 with hostile keys', () => {
  it('does not let a "__proto__" key carry text past redaction', () => {
    const p = JSON.parse(
      '{"type":"process","spec_version":"2.1","id":"process--0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3b","command_line":"x","environment_variables":{"__proto__":"Kian Power","PATH":"C:\\\\bin"}}',
    ) as Record<string, unknown> & { id: string };
    const r = run([p]);
    for (const s of r.served) expect(s.json).not.toContain('Kian');
  });
});
