import { describe, expect, it } from 'vitest';
import {
  formatPattern,
  listComparisons,
  parsePattern,
  removeComparisons,
  type PatternComparison,
  type PatternConstant,
} from '../../../../src/stix/pattern/index.js';

// The victim values a sharing policy would find in these patterns.
const VICTIMS = new Set(['10.0.0.5', 'victim@corp.example', 'intranet.corp.example']);
const isVictim = (c: PatternComparison): boolean =>
  typeof c.value.value === 'string' && VICTIMS.has(c.value.value);

function remove(pattern: string): { text: string | undefined; narrowed: boolean; safe: boolean } {
  const result = removeComparisons(parsePattern(pattern), isVictim);
  return {
    text: result.ast && formatPattern(result.ast),
    narrowed: result.narrowed,
    safe: result.safe,
  };
}

describe('removeComparisons', () => {
  it('returns the pattern untouched when nothing matches', () => {
    const ast = parsePattern("[ipv4-addr:value = '198.51.100.7']");
    expect(removeComparisons(ast, isVictim)).toEqual({ ast, narrowed: false, safe: true });
  });

  it('removes a comparison that is an OR branch (narrowing)', () => {
    expect(remove("[ipv4-addr:value = '10.0.0.5' OR ipv4-addr:value = '198.51.100.7']")).toEqual({
      text: "[ipv4-addr:value = '198.51.100.7']",
      narrowed: true,
      safe: true,
    });
  });

  it('removes several OR branches and keeps the rest in order', () => {
    expect(
      remove(
        "[domain-name:value = 'evil.example' OR ipv4-addr:value = '10.0.0.5' OR domain-name:value = 'intranet.corp.example' OR ipv4-addr:value = '198.51.100.7']",
      ).text,
    ).toBe("[domain-name:value = 'evil.example' OR ipv4-addr:value = '198.51.100.7']");
  });

  it('is unsafe when the matching comparison is the only one', () => {
    expect(remove("[ipv4-addr:value = '10.0.0.5']")).toEqual({
      text: undefined,
      narrowed: false,
      safe: false,
    });
  });

  it('is unsafe when the matching comparison is an AND operand of the only observation', () => {
    expect(
      remove(
        "[email-message:subject = 'Invoice' AND email-message:to_refs[*].value = 'victim@corp.example']",
      ),
    ).toMatchObject({ safe: false, text: undefined });
  });

  it('drops a whole AND group that is itself an OR branch (narrowing)', () => {
    expect(
      remove(
        "[(email-message:subject = 'Invoice' AND email-message:to_refs[*].value = 'victim@corp.example') OR email-message:subject = 'Payroll']",
      ),
    ).toEqual({ text: "[email-message:subject = 'Payroll']", narrowed: true, safe: true });
  });

  it('removes an observation that is an OR branch at observation level', () => {
    expect(
      remove("[ipv4-addr:value = '10.0.0.5'] OR [domain-name:value = 'evil.example']").text,
    ).toBe("[domain-name:value = 'evil.example']");
  });

  it('is unsafe when an emptied observation is an observation-level AND operand', () => {
    expect(
      remove("[ipv4-addr:value = '10.0.0.5'] AND [domain-name:value = 'evil.example']").safe,
    ).toBe(false);
  });

  it('is unsafe when an emptied observation is a FOLLOWEDBY operand', () => {
    expect(
      remove(
        "[email-addr:value = 'victim@corp.example'] FOLLOWEDBY [url:value = 'http://evil.example/']",
      ).safe,
    ).toBe(false);
    expect(
      remove(
        "[url:value = 'http://evil.example/'] FOLLOWEDBY [email-addr:value = 'victim@corp.example']",
      ).safe,
    ).toBe(false);
  });

  it('drops a whole FOLLOWEDBY that is an OR branch', () => {
    expect(
      remove(
        "([email-addr:value = 'victim@corp.example'] FOLLOWEDBY [url:value = 'http://evil.example/']) OR [domain-name:value = 'evil.example']",
      ).text,
    ).toBe("[domain-name:value = 'evil.example']");
  });

  it('narrows inside FOLLOWEDBY and qualifiers when the comparison is an OR branch', () => {
    expect(
      remove(
        "([ipv4-addr:value = '10.0.0.5' OR ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [domain-name:value = 'evil.example']) WITHIN 60 SECONDS",
      ),
    ).toEqual({
      text: "([ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [domain-name:value = 'evil.example']) WITHIN 60 SECONDS",
      narrowed: true,
      safe: true,
    });
  });

  it('keeps the qualifier of an OR whose branch is removed', () => {
    expect(
      remove(
        "([ipv4-addr:value = '10.0.0.5'] OR [ipv4-addr:value = '198.51.100.7']) REPEATS 3 TIMES",
      ).text,
    ).toBe("[ipv4-addr:value = '198.51.100.7'] REPEATS 3 TIMES");
  });

  it('nests qualifiers when an OR collapses to a qualified operand', () => {
    expect(
      remove(
        "([ipv4-addr:value = '10.0.0.5'] OR [ipv4-addr:value = '198.51.100.7'] WITHIN 5 SECONDS) WITHIN 60 SECONDS",
      ).text,
    ).toBe("([ipv4-addr:value = '198.51.100.7'] WITHIN 5 SECONDS) WITHIN 60 SECONDS");
  });

  it('keeps a collapsed qualified expression valid when its qualifiers repeat a kind', () => {
    expect(
      remove(
        "([ipv4-addr:value = '10.0.0.5'] OR [ipv4-addr:value = '198.51.100.7']) WITHIN 5 SECONDS WITHIN 9 SECONDS",
      ),
    ).toEqual({
      text: "([ipv4-addr:value = '198.51.100.7']) WITHIN 5 SECONDS WITHIN 9 SECONDS",
      narrowed: true,
      safe: true,
    });
  });

  it('is unsafe when a qualified observation loses its only comparison', () => {
    expect(remove("[ipv4-addr:value = '10.0.0.5'] WITHIN 60 SECONDS").safe).toBe(false);
  });

  it('removes a negated comparison that is an OR branch (any disjunct may go)', () => {
    expect(remove("[ipv4-addr:value != '10.0.0.5' OR ipv4-addr:value = '198.51.100.7']").text).toBe(
      "[ipv4-addr:value = '198.51.100.7']",
    );
  });

  it('is unsafe for a negated comparison in an AND (removing it would widen)', () => {
    expect(
      remove("[ipv4-addr:value != '10.0.0.5' AND ipv4-addr:value ISSUBSET '10.0.0.0/8']").safe,
    ).toBe(false);
  });

  it('flattens the operator nesting a collapse leaves behind', () => {
    expect(
      remove(
        "[a:x = 1 AND (a:y = '10.0.0.5' OR (a:z = 3 AND a:w = 4)) AND (a:v = '10.0.0.5' OR a:u = 5)]",
      ).text,
    ).toBe('[a:x = 1 AND a:z = 3 AND a:w = 4 AND a:u = 5]');
  });

  it('is unsafe when the narrowed pattern would break the AND object-type rule', () => {
    // (a OR b) AND b is valid; removing the b branch leaves a AND b, which no object satisfies.
    expect(remove("[(a:x = 1 OR b:y = '10.0.0.5') AND b:z = 2]")).toEqual({
      text: undefined,
      narrowed: false,
      safe: false,
    });
  });

  it('holds a leniently parsed pattern to the AND rule it came with', () => {
    const ast = parsePattern("[(a:x = 1 OR b:y = '10.0.0.5' OR a:w = 3) AND c:z = 2]", {
      sameTypeAnd: false,
    });
    const result = removeComparisons(ast, isVictim);
    expect(result.safe).toBe(true);
    expect(result.ast && formatPattern(result.ast)).toBe('[(a:x = 1 OR a:w = 3) AND c:z = 2]');
  });

  it('never leaves a matching comparison in a safe result', () => {
    const patterns = [
      "[ipv4-addr:value = '10.0.0.5' OR ipv4-addr:value = '1.2.3.4'] OR [email-addr:value = 'victim@corp.example']",
      "([a:x = 1] AND [ipv4-addr:value = '10.0.0.5']) OR [a:y = 2] FOLLOWEDBY [a:z = 3]",
      "[a:x IN ('10.0.0.5') OR a:y = 1] WITHIN 10 SECONDS",
    ];
    for (const pattern of patterns) {
      const result = removeComparisons(parsePattern(pattern), isVictim);
      if (result.safe && result.ast) {
        expect(listComparisons(result.ast).filter(isVictim)).toEqual([]);
      }
    }
  });

  it('passes the observation index of the original pattern to the predicate', () => {
    const seen: number[] = [];
    removeComparisons(parsePattern('[a:x = 1] OR [a:y = 1 OR a:z = 1] AND [a:w = 1]'), (c) => {
      seen.push(c.location.observationIndex);
      return c.propertyPath[0] === 'x';
    });
    expect(seen).toEqual([0, 1, 1, 2]);
  });

  describe('with setElement (removal inside IN sets)', () => {
    const isVictimElement = (element: PatternConstant): boolean =>
      element.kind === 'string' && VICTIMS.has(element.value);
    const removeInSets = (pattern: string) => {
      const result = removeComparisons(parsePattern(pattern), isVictim, {
        setElement: isVictimElement,
      });
      return {
        text: result.ast && formatPattern(result.ast),
        narrowed: result.narrowed,
        safe: result.safe,
      };
    };

    it('takes a matching element out of an IN set (an OR in disguise: narrowing)', () => {
      expect(removeInSets("[ipv4-addr:value IN ('10.0.0.5', '198.51.100.7')]")).toEqual({
        text: "[ipv4-addr:value IN ('198.51.100.7')]",
        narrowed: true,
        safe: true,
      });
    });

    it('removes the comparison when its set empties', () => {
      expect(removeInSets("[ipv4-addr:value IN ('10.0.0.5')]").safe).toBe(false);
      expect(
        removeInSets("[ipv4-addr:value IN ('10.0.0.5') OR domain-name:value = 'evil.example']")
          .text,
      ).toBe("[domain-name:value = 'evil.example']");
    });

    it('treats a matching element of NOT IN as a match of the whole comparison', () => {
      expect(
        removeInSets(
          "[ipv4-addr:value NOT IN ('10.0.0.5', '10.0.0.6') AND ipv4-addr:value ISSUBSET '10.0.0.0/8']",
        ).safe,
      ).toBe(false);
      expect(
        removeInSets(
          "[ipv4-addr:value NOT IN ('10.0.0.5', '10.0.0.6') OR domain-name:value = 'evil.example']",
        ).text,
      ).toBe("[domain-name:value = 'evil.example']");
    });

    it('leaves sets alone without the option', () => {
      expect(remove("[ipv4-addr:value IN ('10.0.0.5', '198.51.100.7')]")).toMatchObject({
        narrowed: false,
        safe: true,
      });
    });
  });
});
