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

/** A media type with its version parameter, as the endpoint sections of TAXII 2.1 list them. */
export interface VersionedMediaType {
  type: string;
  version: string;
}

const TAXII_21: VersionedMediaType = { type: 'application/taxii+json', version: '2.1' };
const STIX_21: VersionedMediaType = { type: 'application/stix+json', version: '2.1' };

/**
 * The Accept media types each endpoint defines (TAXII 2.1 §4, §5 "Required Headers"): every
 * endpoint lists `application/taxii+json;version=2.1`; Get Object Manifests (§5.3) also lists
 * `application/stix+json;version=2.1`. §3.1: a type defined for the endpoint MUST NOT get 406.
 * Whatever the client accepts, the answer is a TAXII resource, `application/taxii+json;version=2.1`.
 */
export const ACCEPT_BY_ENDPOINT: readonly {
  endpoint: string;
  methods: readonly string[];
  path: RegExp;
  accept: readonly VersionedMediaType[];
}[] = [
  {
    endpoint: 'Get Object Manifests',
    methods: ['GET', 'HEAD'],
    path: /^\/[^/]+\/collections\/[^/]+\/manifest\/$/,
    accept: [TAXII_21, STIX_21],
  },
];

/** The Accept media types defined for `method path` (every other endpoint: TAXII 2.1 only). */
export function acceptableMediaTypes(method: string, path: string): readonly VersionedMediaType[] {
  const row = ACCEPT_BY_ENDPOINT.find((r) => r.methods.includes(method) && r.path.test(path));
  return row?.accept ?? [TAXII_21];
}

/**
 * How specifically `range` names `offered` (RFC 7231 §5.3.2): 3 with the same version
 * parameter, 2 without a version (for TAXII: the latest version, §1.6.8.2), 1 for `type/*`,
 * 0 for `*\/*`; -1 when it does not match.
 */
function specificity(range: MediaRange, offered: VersionedMediaType): number {
  if (range.type === '*/*') return 0;
  const [main] = offered.type.split('/');
  if (range.type === `${main}/*`) return 1;
  if (range.type !== offered.type) return -1;
  const version = range.params.get('version');
  if (version === undefined) return 2;
  return version === offered.version ? 3 : -1;
}

/**
 * TAXII 2.1 §3.1: a request MUST carry at least one TAXII media range in Accept, and a media
 * type defined for the endpoint MUST NOT get 406. For each type the endpoint defines, the most
 * specific matching range decides its quality (RFC 7231 §5.3.2: `…;version=2.1;q=0` refuses
 * 2.1 even next to an unversioned range). stixgate's decision: the type must be named, with
 * its version or none: `*\/*`, `application/*` and a missing Accept get 406, because a client
 * sending only them is not speaking TAXII 2.1 (the standard lets a server refuse undefined
 * media types).
 */
export function assertAcceptable(
  accept: string | undefined,
  defined: readonly VersionedMediaType[] = [TAXII_21],
): void {
  const ranges = (accept ?? '')
    .split(',')
    .map((r) => parseMediaRange(r))
    .filter((r) => r !== undefined);
  const served = defined.some((offered) => {
    let best: { level: number; q: number } | undefined;
    for (const r of ranges) {
      const level = specificity(r, offered);
      if (level < 0 || (best && best.level >= level)) continue;
      best = { level, q: qualityOf(r) };
    }
    return best !== undefined && best.level >= 2 && best.q > 0;
  });
  if (!served) {
    const names = defined.map((d) => `${d.type};version=${d.version}`).join(' or ');
    throw new NotAcceptableError(
      `this endpoint answers ${TAXII_MEDIA_TYPE}; send ${names} in Accept`,
    );
  }
}

/** The TAXII check alone (every endpoint but the manifest). */
export function assertAcceptsTaxii(accept: string | undefined): void {
  assertAcceptable(accept, [TAXII_21]);
}

/** RFC 7231 §5.3.1 qvalue: 0 to 1 with at most three decimals; anything else counts as 0. */
function qualityOf(range: MediaRange): number {
  const q = range.params.get('q');
  if (q === undefined) return 1;
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q)) return 0;
  return Number(q);
}

/** TAXII 2.1 §3.1: POST bodies are `application/taxii+json;version=2.1` (an unversioned type means the latest). */
export function assertTaxiiContentType(contentType: string | undefined): void {
  const range = contentType === undefined ? undefined : parseMediaRange(contentType);
  const charset = range?.params.get('charset')?.toLowerCase();
  if (!range || !isTaxii21(range) || (charset !== undefined && charset !== 'utf-8')) {
    throw new UnsupportedMediaTypeError(`request bodies must be ${TAXII_MEDIA_TYPE}`);
  }
}
