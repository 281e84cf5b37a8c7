// The TAXII query string parser. We never let a framework turn `match[id][$ne]=x` into a
// nested object: the raw query is split here into a flat map of decoded strings, and any key
// that is nested, repeated, empty or outside the TAXII shapes is a 400 (TAXII 2.1 §3.4:
// malformed filters are a 400; no field may be repeated).
import { InvalidFilterError } from '../errors.js';

const KEY = /^(?:[a-z_]{1,32}|match\[[a-z_]{1,32}\])$/;
const MAX_QUERY_LENGTH = 8192;
const MAX_PARAMS = 16;

export function parseTaxiiQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  if (rawQuery.length === 0) return params;
  if (rawQuery.length > MAX_QUERY_LENGTH) throw new InvalidFilterError('query', 'too long');
  for (const part of rawQuery.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    const key = decode(rawKey, 'query');
    if (!KEY.test(key)) throw new InvalidFilterError(printable(key), 'not a TAXII query parameter');
    if (params.has(key)) throw new InvalidFilterError(key, 'given more than once');
    if (params.size >= MAX_PARAMS) throw new InvalidFilterError('query', 'too many parameters');
    params.set(key, decode(rawValue, key));
  }
  return params;
}

function decode(text: string, parameter: string): string {
  try {
    // application/x-www-form-urlencoded: `+` is a space (a timestamp never holds either).
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new InvalidFilterError(
      parameter === 'query' ? 'query' : parameter,
      'bad percent-encoding',
    );
  }
}

/** Keys echoed in error messages are cut short and stripped of control characters. */
function printable(key: string): string {
  const clean = key.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
