// The RegExp engine the compiled schemas use (ajv's `code.regExp`): the standard RegExp, except
// for the STIX identifier pattern (STIX 2.1 §2.9, stix-schemas/common/core.json), which every
// object meets several times (id, created_by_ref, each marking, each _ref). Its hand-written
// matcher accepts exactly the same strings and is several times faster; a schema error for a
// bad identifier is the same `pattern` error either way. Pure.

/** `type--UUID`: the pattern text exactly as the schemas write it. */
export const IDENTIFIER_PATTERN =
  '^[a-z0-9]+(?:-[a-z0-9]+)*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const UUID_LENGTH = 36;

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isLowerAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
}

/**
 * IDENTIFIER_PATTERN without backtracking. The UUID has a fixed length and `$` (no `m` flag)
 * is the end of the text, so the UUID is the last 36 characters and `--` the two before; the
 * type before them is one or more runs of [a-z0-9] joined by single hyphens.
 */
export function isStixIdentifier(s: string): boolean {
  const n = s.length;
  const uuidStart = n - UUID_LENGTH;
  const typeEnd = uuidStart - 2;
  if (typeEnd < 1) return false;
  if (s.charCodeAt(typeEnd) !== 0x2d || s.charCodeAt(typeEnd + 1) !== 0x2d) return false;
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = s.charCodeAt(uuidStart + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!isHex(c)) return false;
  }
  let previousHyphen = true; // the type may not start with a hyphen
  for (let i = 0; i < typeEnd; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2d) {
      if (previousHyphen) return false;
      previousHyphen = true;
    } else if (isLowerAlnum(c)) previousHyphen = false;
    else return false;
  }
  return !previousHyphen;
}

const identifierMatcher = {
  test: isStixIdentifier,
  // ajv keys compiled patterns by this text.
  toString: (): string => `/${IDENTIFIER_PATTERN}/`,
};

/** ajv `code.regExp`: a RegExp for `pattern`, or the identifier matcher for that one pattern. */
export const schemaRegExp = Object.assign(
  (pattern: string, flags: string): { test: (s: string) => boolean } =>
    pattern === IDENTIFIER_PATTERN && flags === '' ? identifierMatcher : new RegExp(pattern, flags),
  // Only read when generating standalone validator code, which stixgate never does.
  { code: 'new RegExp' },
);
