import { describe, expect, it } from 'vitest';
import { parsePattern, PatternSyntaxError } from '../../../../src/stix/pattern/index.js';

function errorOf(pattern: string): PatternSyntaxError {
  try {
    parsePattern(pattern);
  } catch (error) {
    if (error instanceof PatternSyntaxError) return error;
    throw error;
  }
  throw new Error(`accepted: ${pattern}`);
}

describe('PatternSyntaxError', () => {
  it('is a StixgateError of kind unprocessable with a position', () => {
    const error = errorOf('[a:b = 1');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PatternSyntaxError');
    expect(error.kind).toBe('unprocessable');
    expect(error.position).toBe(8);
  });

  it('says what was expected and what was found', () => {
    expect(errorOf("[a:b = 'x' c:d = 1]").message).toBe("expected AND, OR or ']' at 11, found 'c'");
    expect(errorOf('').message).toBe("expected '[' or '(' at 0, found end of pattern");
  });

  it('points at a missing bracket around the whole pattern', () => {
    const error = errorOf("ipv4-addr:value = '1.2.3.4'");
    expect(error.position).toBe(0);
    expect(error.message).toBe("expected '[' or '(' at 0, found 'ipv4-addr'");
  });

  it('hints that keywords are upper case', () => {
    const error = errorOf('[a:b = 1] and [a:c = 2]');
    expect(error.position).toBe(10);
    expect(error.message).toContain('keywords are upper case: AND');
  });

  it('quotes at most 40 characters of the offending token, control characters escaped', () => {
    const long = `'${'x'.repeat(100)}'`;
    expect(errorOf(`[a:b ${long}]`).message).toBe(
      `expected a comparison operator (=, !=, <, IN, LIKE…) at 5, found the string '${'x'.repeat(39)}…`,
    );
    expect(errorOf('[a:b = 1] \u0001').message).toBe("unexpected character '\\u0001' at 10");
  });

  it('hints that booleans are lower case', () => {
    expect(errorOf('[a:b = TRUE]').message).toContain('booleans are lower case');
  });
});

describe('parsePattern rejects malformed patterns with the error position', () => {
  it.each([
    // structure
    ['[]', 1],
    ['[a:b = 1]]', 9],
    ['[a:b = 1] [a:c = 2]', 10],
    ['([a:b = 1]', 10],
    ['[a:b = 1] AND', 13],
    ['[a:b = 1] FOLLOWEDBY', 20],
    ['[a:b = 1 AND]', 12],
    ['[(a:b = 1]', 9],
    ['[a:b = 1)]', 8],
    ['AND [a:b = 1]', 0],
    ['[a:b = 1] NOT [a:c = 1]', 10],
    // object paths
    ['[a = 1]', 3],
    ['[:b = 1]', 1],
    ['[a: = 1]', 4],
    ['[a:b. = 1]', 6],
    ['[a:b[x] = 1]', 5],
    ['[a:b[1.5] = 1]', 5],
    ['[a:b[*] = 1', 11],
    ["['a':b = 1]", 1],
    ['[a:b-c = 1]', 3],
    ['[a:b.c-d = 1]', 5],
    ['[AND:b = 1]', 1],
    ['[a:IN = 1]', 3],
    // operators
    ['[a:b 1]', 5],
    ['[a:b == ]', 8],
    ['[a:b NOT]', 8],
    ['[NOT a:b = 1]', 1],
    ['[a:b NOT EXISTS]', 9],
    ['[a:b EXISTS]', 5],
    ['[EXISTS]', 7],
    ['[a:b ! 1]', 5],
    ['[a:b === 1]', 7],
    ['[a:b => 1]', 6],
    ['[a:b like 1]', 5],
    // value types
    ['[a:b < true]', 7],
    ['[a:b LIKE 5]', 10],
    ['[a:b MATCHES true]', 13],
    ['[a:b ISSUBSET 5]', 14],
    ["[a:b ISSUPERSET h'00']", 16],
    ["[a:b IN 'x']", 8],
    ['[a:b IN (1 2)]', 11],
    ['[a:b IN (1,)]', 11],
    ['[a:b IN ((1))]', 9],
    ['[a:b = (1)]', 7],
    ["[a:b MATCHES '(unclosed']", 13],
    ["[a:b MATCHES '[z-a]']", 13],
    // constants
    ["[a:b = 'open]", 7],
    ["[a:b = 'bad \\n escape']", 12],
    ['[a:b = 01]', 7],
    ['[a:b = 1.]', 8],
    ['[a:b = 1e5]', 7],
    ['[a:b = 12abc]', 7],
    ['[a:b = -]', 7],
    ['[a:b = +x]', 7],
    ["[a:b = b'']", 7],
    ["[a:b = b'abc']", 7],
    ["[a:b = b'a=bc']", 7],
    ["[a:b = b'ab$=']", 7],
    ["[a:b = h'abc']", 7],
    ["[a:b = h'zz']", 7],
    ["[a:b = t'2016-05-12']", 7],
    ["[a:b = t'2016-05-12T08:17:27']", 7],
    ["[a:b = t'2016-05-12T08:17:27+01:00']", 7],
    ["[a:b = t'2016-13-01T00:00:00Z']", 7],
    ["[a:b = t'2023-02-29T00:00:00Z']", 7],
    ["[a:b = t'2016-04-31T00:00:00Z']", 7],
    ["[a:b = t'2016-01-01T24:00:00Z']", 7],
    ["[a:b = t'2016-01-01T00:00:61Z']", 7],
    ["[a:b = T'2016-01-01T00:00:00Z']", 7],
    ['[a:b = True]', 7],
    // qualifiers
    ['[a:b = 1] WITHIN 0 SECONDS', 17],
    ['[a:b = 1] WITHIN -5 SECONDS', 17],
    ['[a:b = 1] WITHIN 5', 18],
    ['[a:b = 1] WITHIN 5 MINUTES', 19],
    ["[a:b = 1] WITHIN '5' SECONDS", 17],
    ['[a:b = 1] REPEATS 0 TIMES', 18],
    ['[a:b = 1] REPEATS 2.5 TIMES', 18],
    ['[a:b = 1] REPEATS 2', 19],
    ["[a:b = 1] START '2016-01-01T00:00:00Z' STOP '2017-01-01T00:00:00Z'", 16],
    ["[a:b = 1] START t'2016-01-01T00:00:00Z'", 39],
    ["[a:b = 1] START t'2017-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", 45],
    ["[a:b = 1] START t'2017-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00.000Z'", 45],
    ['WITHIN 5 SECONDS [a:b = 1]', 0],
    ['[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS', 27],
    ['[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS REPEATS 3 TIMES', 43],
    [
      "[a:b = 1] START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z' START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'",
      69,
    ],
    // hash values of fixed-size algorithms
    ["[file:hashes.'SHA-256' = 'f00']", 25],
    ["[file:hashes.MD5 != 'zz0123456789abcdef0123456789abcd']", 20],
    ["[file:hashes.sha1 IN ('0123456789abcdef0123456789abcdef01234567', 'abc')]", 66],
    // semantic rule: AND joins comparisons of one object type (STIX 2.1 §9.5)
    ["[file:name = 'x' AND domain-name:value = 'y']", 17],
    ['[(a:x = 1 OR b:y = 2) AND c:z = 3]', 22],
    // lexical
    ['[a:b = 1] #', 10],
    ['[a:b = 1] /* open comment', 10],
    ['[a:b = @]', 7],
  ])('rejects %s at %i', (pattern, position) => {
    const error = errorOf(pattern);
    expect(error.position).toBe(position);
    expect(error.message).toContain(` at ${position}`);
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    const pattern = `${'('.repeat(5000)}[a:x = 1]${')'.repeat(5000)}`;
    expect(errorOf(pattern).message).toContain('nesting deeper than');
    expect(errorOf(`[${'('.repeat(5000)}a:x = 1${')'.repeat(5000)}]`).message).toContain(
      'nesting deeper than',
    );
  });

  it('rejects a value that is not a string', () => {
    expect(() => parsePattern(undefined as unknown as string)).toThrow(PatternSyntaxError);
  });
});
