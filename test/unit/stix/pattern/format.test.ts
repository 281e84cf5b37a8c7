import { describe, expect, it } from 'vitest';
import {
  formatObjectPath,
  formatPattern,
  parsePattern,
  type PatternAst,
} from '../../../../src/stix/pattern/index.js';

const canonical = (pattern: string): string => formatPattern(parsePattern(pattern));

describe('formatPattern', () => {
  it.each([
    "[ipv4-addr:value = '10.0.0.0']",
    "[file:hashes.'SHA-256' = 'ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53ef53' AND file:name = 'x.exe']",
    "[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
    "[a:b NOT IN ('x', 1, true, h'00ff', b'AAAA', t'2020-01-01T00:00:00Z')]",
    '[EXISTS windows-registry-key:values]',
    '[a:x = 1 OR a:y = 2 AND a:z = 3]',
    '[(a:x = 1 OR a:y = 2) AND a:z = 3]',
    '[a:x = 1 OR (a:y = 2 OR a:z = 3)]',
    '[a:x = 1] FOLLOWEDBY ([a:y = 1] OR [a:z = 1]) WITHIN 300 SECONDS',
    '([a:x = 1] AND [a:y = 1]) REPEATS 2 TIMES WITHIN 5.5 SECONDS',
    "[a:x = 1] START t'2020-01-01T00:00:00Z' STOP t'2020-01-02T00:00:00.25Z'",
    '[a:x = -1.5] AND [a:list[-1] = 0]',
  ])('prints canonical text unchanged: %s', (pattern) => {
    expect(canonical(pattern)).toBe(pattern);
  });

  it('normalises spacing, operator spellings, signs and redundant parentheses', () => {
    expect(canonical("(( [ a:b=='x' ] ))  AND[a:c<>+5]/* c */")).toBe("[a:b = 'x'] AND [a:c != 5]");
  });

  it('escapes quotes and backslashes in strings', () => {
    expect(canonical("[a:b = 'it\\'s a \\\\ path']")).toBe("[a:b = 'it\\'s a \\\\ path']");
  });

  it('quotes property names that are not bare identifiers or are keywords', () => {
    const ast: PatternAst = parsePattern("[a:'AND'.'true'.'9lives'.'x y'.ok = 1]");
    expect(formatPattern(ast)).toBe("[a:'AND'.'true'.'9lives'.'x y'.ok = 1]");
  });

  it('prints object paths canonically', () => {
    expect(
      formatObjectPath({
        objectType: 'file',
        steps: [
          { type: 'property', name: 'hashes' },
          { type: 'property', name: 'SHA-256' },
        ],
      }),
    ).toBe("file:hashes.'SHA-256'");
  });

  it('keeps the parentheses a repeated qualifier kind needs', () => {
    expect(canonical('(([a:x = 1])) WITHIN 1 SECONDS WITHIN 2 SECONDS')).toBe(
      '([a:x = 1]) WITHIN 1 SECONDS WITHIN 2 SECONDS',
    );
    expect(canonical('([a:x = 1] WITHIN 1 SECONDS) WITHIN 2 SECONDS')).toBe(
      '([a:x = 1] WITHIN 1 SECONDS) WITHIN 2 SECONDS',
    );
  });

  it('parenthesises a qualified compound base and nested same operators', () => {
    expect(canonical('([a:x = 1] OR ([a:y = 1] OR [a:z = 1])) WITHIN 1 SECONDS')).toBe(
      '([a:x = 1] OR ([a:y = 1] OR [a:z = 1])) WITHIN 1 SECONDS',
    );
  });
});
