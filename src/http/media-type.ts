// Media types and content negotiation (TAXII 2.1 §1.6.8, §3.1).
import { NotAcceptableError, UnsupportedMediaTypeError } from '../errors.js';
import { TAXII_MEDIA_TYPE } from '../taxii/deps.js';

export { TAXII_MEDIA_TYPE };

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

function parseMediaRange(text: string): MediaRange | undefined {
  const [typePart, ...paramParts] = text.split(';');
  const type = typePart?.trim().toLowerCase() ?? '';
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type) && type !== '*/*') return undefined;
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq === -1) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    params.set(name, value);
  }
  return { type, params };
}

/** A TAXII 2.1 range: `application/taxii+json`, with `version=2.1` or no version (= latest). */
function isTaxii21(range: MediaRange): boolean {
  const version = range.params.get('version');
  return range.type === 'application/taxii+json' && (version === undefined || version === '2.1');
}

/**
 * TAXII 2.1 §3.1: a request MUST carry at least one TAXII media range in Accept. stixgate's
 * decision: only `application/taxii+json` (version 2.1 or unversioned, q > 0) is acceptable;
 * `*\/*`, `application/*`, `application/json` and a missing Accept get 406, because a
 * client sending them is not speaking TAXII 2.1 (the standard lets a server refuse
 * undefined media types).
 */
export function assertAcceptsTaxii(accept: string | undefined): void {
  const ranges = (accept ?? '')
    .split(',')
    .map((r) => parseMediaRange(r))
    .filter((r) => r !== undefined);
  const ok = ranges.some((r) => isTaxii21(r) && qualityOf(r) > 0);
  if (!ok)
    throw new NotAcceptableError(`this server answers only ${TAXII_MEDIA_TYPE}; send it in Accept`);
}

function qualityOf(range: MediaRange): number {
  const q = range.params.get('q');
  if (q === undefined) return 1;
  const n = Number(q);
  return Number.isFinite(n) ? n : 0;
}

/** TAXII 2.1 §3.1: POST bodies are `application/taxii+json;version=2.1` (an unversioned type means the latest). */
export function assertTaxiiContentType(contentType: string | undefined): void {
  const range = contentType === undefined ? undefined : parseMediaRange(contentType);
  const charset = range?.params.get('charset')?.toLowerCase();
  if (!range || !isTaxii21(range) || (charset !== undefined && charset !== 'utf-8')) {
    throw new UnsupportedMediaTypeError(`request bodies must be ${TAXII_MEDIA_TYPE}`);
  }
}
