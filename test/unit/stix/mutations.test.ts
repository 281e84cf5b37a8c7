// Mutation suite over the shared STIX 2.1 corpus: for each object strict mode accepts, single
// mutations the specification makes invalid must be refused in strict mode, and spec-valid
// variations must be accepted. Each mutation kind names the rule of the standard it breaks.
// The corpus holds no hashes, process or url object: those rules (hashes key length, UUIDv5
// without ID contributing properties, url values) are exercised in spec-gaps.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../support/corpus.js';
import { errorCodes, strict } from './support.js';

type Obj = Record<string, unknown>;
/** A mutation returns the mutated copy, or undefined when it does not apply to the object. */
type Mutation = (o: Obj) => Obj | undefined;

const UUID4 = '0f7a5f6e-3c1b-4d2a-9e8f-7a6b5c4d3e2f';
const SDO_SRO_COMMON = ['type', 'spec_version', 'id', 'created', 'modified'];
const SCO_COMMON = ['type', 'id'];

/** Required properties of each type (STIX 2.1 §4–§7 property tables). */
const REQUIRED: Record<string, string[]> = {
  'attack-pattern': ['name'],
  campaign: ['name'],
  'course-of-action': ['name'],
  grouping: ['context', 'object_refs'],
  identity: ['name'],
  incident: ['name'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  infrastructure: ['name'],
  'intrusion-set': ['name'],
  location: [],
  malware: ['is_family'],
  'malware-analysis': ['product'],
  note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed'],
  opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'],
  'threat-actor': ['name'],
  tool: ['name'],
  vulnerability: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  'language-content': ['object_ref', 'contents'],
  'extension-definition': ['created_by_ref', 'name', 'schema', 'version', 'extension_types'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['is_multipart'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['protocols'],
  software: ['name'],
  url: ['value'],
};

const isSco = (o: Obj) => o.spec_version === undefined || !('created' in o);
const commonRequired = (o: Obj): string[] => {
  if (o.type === 'marking-definition') return ['type', 'spec_version', 'id', 'created'];
  return isSco(o) ? SCO_COMMON : SDO_SRO_COMMON;
};

const set =
  (key: string, value: unknown, when: (o: Obj) => boolean = (o) => key in o): Mutation =>
  (o) =>
    when(o) ? { ...o, [key]: value } : undefined;

/** Spec-invalid single mutations beyond dropping a required property. */
const INVALID: Record<string, Mutation> = {
  // §2.9 identifiers
  'id: type part differs from type': (o) => ({
    ...o,
    id: `${o.type === 'malware' ? 'tool' : 'malware'}--${String(o.id).split('--')[1]}`,
  }),
  'id: not a UUID': (o) => ({ ...o, id: `${String(o.type)}--not-a-uuid` }),
  'type: uppercase': (o) => ({ ...o, type: String(o.type).toUpperCase() }),
  // §3.2 timestamps
  'created: not a timestamp': set('created', 'yesterday'),
  'created: no Z': (o) =>
    typeof o.created === 'string' ? { ...o, created: o.created.replace(/Z$/, '') } : undefined,
  'modified: before created': (o) =>
    typeof o.created === 'string' && 'modified' in o
      ? { ...o, modified: '1999-01-01T00:00:00.000Z' }
      : undefined,
  'created: impossible date': set('created', '2021-02-30T00:00:00.000Z'),
  // §3.2 spec_version
  'spec_version: not 2.1': set('spec_version', '2.2'),
  // §2 list: never empty
  'a list property: empty': (o) => {
    const key = Object.keys(o).find((k) => Array.isArray(o[k]));
    return key === undefined ? undefined : { ...o, [key]: [] };
  },
  // §3.2 confidence 0–100
  'confidence: 101': set('confidence', 101, (o) => !isSco(o) && o.type !== 'marking-definition'),
  'confidence: -1': set('confidence', -1, (o) => !isSco(o) && o.type !== 'marking-definition'),
  // §3.2 references' target types
  'created_by_ref: not an identity': set('created_by_ref', `malware--${UUID4}`, (o) => !isSco(o)),
  'object_marking_refs: not a marking-definition': set('object_marking_refs', [
    `indicator--${UUID4}`,
  ]),
  // §2.5 external references
  'external_references: entry without source_name': set('external_references', [
    { url: 'https://example.com/' },
  ]),
  'external_references: url not a URL': set('external_references', [
    { source_name: 'x', url: 'not a url' },
  ]),
  // §2.12 lang
  'lang: not a language tag': set(
    'lang',
    'not a tag!',
    (o) => !isSco(o) && o.type !== 'language-content' && o.type !== 'marking-definition',
  ),
  // §2.13 granular markings
  'granular_markings: selector that resolves to nothing': set(
    'granular_markings',
    [{ marking_ref: `marking-definition--${UUID4}`, selectors: ['no_such_property'] }],
    () => true,
  ),
  // §11.1: custom properties are refused by strict mode (stixgate's strict definition)
  'custom property': set('x_acme_score', 5, () => true),
  // reserved names and defanged outside SCOs
  'reserved property name': set('severity', 'high', () => true),
  'defanged on a non-SCO': set('defanged', true, (o) => !isSco(o)),
  // property types: a string where the spec says string gets a number
  'name: not a string': set('name', 42),
  // §7.2.1: a marking-definition never marks itself
  'marking-definition marking itself': (o) =>
    o.type === 'marking-definition' ? { ...o, object_marking_refs: [o.id] } : undefined,
  'description: null': set('description', null, () => true),
};

/** The rule a kind breaks, when one code names it: the refusal must be for that reason. */
const EXPECTED: Record<string, string> = {
  'id: type part differs from type': 'id-type-mismatch',
  'modified: before created': 'modified-before-created',
  'a list property: empty': 'list-empty',
  'confidence: 101': 'value-out-of-range',
  'confidence: -1': 'value-out-of-range',
  'created_by_ref: not an identity': 'ref-type-mismatch',
  'object_marking_refs: not a marking-definition': 'ref-type-mismatch',
  'lang: not a language tag': 'lang-invalid',
  'granular_markings: selector that resolves to nothing': 'granular-marking-selector-unresolved',
  'custom property': 'custom-property',
  'reserved property name': 'property-reserved',
  'defanged on a non-SCO': 'defanged-not-sco',
  'marking-definition marking itself': 'marking-self-reference',
};

/** Spec-valid variations: strict mode must still accept them. */
const VALID: Record<string, Mutation> = {
  'created/modified with microsecond precision': (o) => {
    if (typeof o.created !== 'string' || !/\.\d{3}Z$/.test(o.created)) return undefined;
    const micro = (t: unknown) =>
      typeof t === 'string' && /\.\d{3}Z$/.test(t) ? t.replace(/Z$/, '000Z') : t;
    return {
      ...o,
      created: micro(o.created),
      ...('modified' in o && { modified: micro(o.modified) }),
    };
  },
  'confidence 0': set('confidence', 0, (o) => !isSco(o) && o.type !== 'marking-definition'),
  'confidence 100': set('confidence', 100, (o) => !isSco(o) && o.type !== 'marking-definition'),
  'lang zh-Hant-TW': set(
    'lang',
    'zh-Hant-TW',
    (o) => !isSco(o) && o.type !== 'language-content' && o.type !== 'marking-definition',
  ),
  'lang de-CH-1996': set(
    'lang',
    'de-CH-1996',
    (o) => !isSco(o) && o.type !== 'language-content' && o.type !== 'marking-definition',
  ),
  ...Object.fromEntries(
    [
      "[file:name LIKE 'inv%.exe']",
      "[file:name MATCHES '^inv[0-9]+\\\\.exe$']",
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[ipv4-addr:value ISSUPERSET '198.51.100.7']",
      "[file:name IN ('a.exe', 'b.exe')]",
      '[file:size >= 1024 AND file:size < 2048]',
      "[file:name != 'a.exe']",
      "[file:name NOT = 'a.exe']",
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
      "[file:name = 'a.exe'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.7']",
      "([file:name = 'a.exe'] OR [ipv4-addr:value = '198.51.100.7']) WITHIN 300 SECONDS",
      "[ipv4-addr:value = '198.51.100.7'] REPEATS 5 TIMES",
      "[ipv4-addr:value = '198.51.100.7'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port = 443]",
    ].map((pattern) => [
      `pattern ${pattern}`,
      set('pattern', pattern, (o) => o.type === 'indicator' && o.pattern_type === 'stix'),
    ]),
  ),
};

const corpus = loadCorpus()
  .flatMap((f) => f.objects)
  .filter((o) => strict(o).ok);

const tally = { kinds: 0, mutations: 0, caught: 0, validVariations: 0, validAccepted: 0 };
afterAll(() => {
  process.stdout.write(
    `STIX mutation suite: ${corpus.length} strictly valid corpus objects; ${tally.kinds} invalid kinds, ` +
      `${tally.mutations} mutations, ${tally.caught} caught; ${tally.validVariations} valid variations, ` +
      `${tally.validAccepted} accepted\n`,
  );
});

describe('STIX 2.1 mutation suite (strict mode)', () => {
  it('has a corpus of strictly valid objects', () => {
    expect(corpus.length).toBeGreaterThan(200);
  });

  it('refuses each object without each of its required properties', () => {
    tally.kinds++;
    const missed: string[] = [];
    for (const o of corpus) {
      for (const key of [...commonRequired(o), ...(REQUIRED[String(o.type)] ?? [])]) {
        if (!(key in o)) continue;
        const { [key]: _dropped, ...rest } = o;
        tally.mutations++;
        if (strict(rest).ok) missed.push(`${String(o.id)} without ${key}`);
        else tally.caught++;
      }
    }
    expect(missed).toEqual([]);
  });

  it.each(Object.entries(INVALID))('refuses: %s', (kind, mutate) => {
    tally.kinds++;
    const expected = EXPECTED[kind];
    const missed: string[] = [];
    let applied = 0;
    for (const o of corpus) {
      const m = mutate(o);
      if (m === undefined) continue;
      tally.mutations++;
      applied++;
      const codes = errorCodes(strict(m));
      if (codes.length === 0) missed.push(`${String(o.id)}: accepted`);
      else if (expected !== undefined && !codes.includes(expected))
        missed.push(`${String(o.id)}: ${codes.join(', ')} instead of ${expected}`);
      else tally.caught++;
    }
    expect(applied, 'the kind applies to some corpus object').toBeGreaterThan(0);
    expect(missed).toEqual([]);
  });

  it.each(Object.entries(VALID))('accepts: %s', (_kind, mutate) => {
    const refused: string[] = [];
    for (const o of corpus) {
      const m = mutate(o);
      if (m === undefined) continue;
      tally.validVariations++;
      const codes = errorCodes(strict(m));
      if (codes.length > 0) refused.push(`${String(o.id)}: ${codes.join(', ')}`);
      else tally.validAccepted++;
    }
    expect(refused).toEqual([]);
  });
});
