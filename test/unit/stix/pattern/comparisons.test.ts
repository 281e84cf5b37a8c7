import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { CORPUS_DIR } from '../../../support/corpus.js';
import {
  formatPattern,
  listComparisons,
  parsePattern,
} from '../../../../src/stix/pattern/index.js';

const CORPUS = pathToFileURL(`${CORPUS_DIR}/`);

/** Every `pattern` of a STIX indicator in the corpus, walking bundles and nested objects. */
function corpusPatterns(): { file: string; pattern: string }[] {
  const found: { file: string; pattern: string }[] = [];
  const walk = (value: unknown, file: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, file));
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (
        record.type === 'indicator' &&
        typeof record.pattern === 'string' &&
        (record.pattern_type ?? 'stix') === 'stix'
      ) {
        found.push({ file, pattern: record.pattern });
      }
      Object.values(record).forEach((item) => walk(item, file));
    }
  };
  for (const file of readdirSync(CORPUS).filter((name) => name.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8')), file);
  }
  return found;
}

describe('listComparisons', () => {
  it('lists the comparisons of a C2 indicator with type, path and value', () => {
    const ast = parsePattern(
      "[domain-name:value = 'evil.example' OR ipv4-addr:value = '198.51.100.7']",
    );
    expect(listComparisons(ast)).toEqual([
      {
        objectType: 'domain-name',
        propertyPath: ['value'],
        path: 'domain-name:value',
        operator: '=',
        negated: false,
        value: { kind: 'string', value: 'evil.example' },
        location: { observationIndex: 0 },
      },
      {
        objectType: 'ipv4-addr',
        propertyPath: ['value'],
        path: 'ipv4-addr:value',
        operator: '=',
        negated: false,
        value: { kind: 'string', value: '198.51.100.7' },
        location: { observationIndex: 0 },
      },
    ]);
  });

  it('numbers observations in textual order across operators and qualifiers', () => {
    const ast = parsePattern(
      "([email-message:from_ref.value = 'a@evil.example'] FOLLOWEDBY [email-addr:value = 'victim@corp.example']) WITHIN 600 SECONDS OR [url:value = 'http://evil.example/x']",
    );
    expect(listComparisons(ast).map((c) => [c.path, c.location.observationIndex])).toEqual([
      ['email-message:from_ref.value', 0],
      ['email-addr:value', 1],
      ['url:value', 2],
    ]);
  });

  it('describes list indexes, wildcards and quoted names in propertyPath and path', () => {
    const [comparison] = listComparisons(
      parsePattern(
        "[file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256' = 'ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53']",
      ),
    );
    expect(comparison?.propertyPath).toEqual([
      'extensions',
      'windows-pebinary-ext',
      'sections',
      '*',
      'hashes',
      'SHA-256',
    ]);
    expect(comparison?.path).toBe(
      "file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256'",
    );
    const [indexed] = listComparisons(parsePattern("[email-message:to_refs[0].value = 'v@x']"));
    expect(indexed?.propertyPath).toEqual(['to_refs', 0, 'value']);
  });

  it('gives IN sets as a list, negation, and EXISTS without a value', () => {
    const comparisons = listComparisons(
      parsePattern(
        "[ipv4-addr:value NOT IN ('10.0.0.1', '10.0.0.2') AND EXISTS ipv4-addr:resolves_to_refs]",
      ),
    );
    expect(comparisons.map((c) => [c.operator, c.negated, c.value])).toEqual([
      [
        'IN',
        true,
        {
          kind: 'set',
          value: [
            { kind: 'string', value: '10.0.0.1' },
            { kind: 'string', value: '10.0.0.2' },
          ],
        },
      ],
      ['EXISTS', false, { kind: 'none', value: null }],
    ]);
  });

  describe('on the OASIS corpus', () => {
    const patterns = corpusPatterns();

    it('finds the indicators of the corpus', () => {
      expect(patterns.length).toBeGreaterThan(30);
    });

    it.each(patterns.map((p) => [p.file, p.pattern]))('parses %s: %s', (_file, pattern) => {
      const comparisons = listComparisons(parsePattern(pattern));
      expect(comparisons.length).toBeGreaterThan(0);
      for (const comparison of comparisons) {
        expect(pattern).toContain(comparison.objectType);
      }
    });

    it('prints every corpus pattern to text that parses to the same tree', () => {
      for (const { pattern } of patterns) {
        const ast = parsePattern(pattern);
        expect(parsePattern(formatPattern(ast))).toEqual(ast);
      }
    });

    it('finds every IPv4 address and domain of the C2 indicators', () => {
      const values = patterns
        .flatMap((p) => listComparisons(parsePattern(p.pattern)))
        .filter((c) => c.path === 'ipv4-addr:value' || c.path === 'domain-name:value')
        .map((c) => c.value.value);
      expect(values).toContain('219.90.112.203');
      expect(values).toContain('www.webserver.dynssl.com');
    });
  });
});
