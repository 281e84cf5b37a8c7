// One behaviour per semantic rule of src/stix/rules/ (and the schema checks they complement).
import { describe, it, expect } from 'vitest';
import { createStixValidator } from '../../../src/stix/validate.js';
import {
  TLP2_EXTENSION,
  TLP2_GREEN_ID,
  idOf,
  makeCampaign,
  makeFile,
  makeGrouping,
  makeIdentity,
  makeIndicator,
  makeIpv4Addr,
  makeLanguageContent,
  makeLocation,
  makeMalware,
  makeMalwareAnalysis,
  makeNetworkTraffic,
  makeObservedData,
  makeRelationship,
  makeReport,
  makeSighting,
  makeStatementMarking,
  makeTlp1Red,
  makeTlp2Green,
  makeEmailMessage,
  makeProcess,
  makeArtifact,
  makeWindowsRegistryKey,
} from '../../support/builders.js';
import { errorCodes, permissive, strict, warningCodes } from './support.js';

const V1 = '6f1b1c2e-8a3d-1c5b-9e7f-000000000001';
const V5 = '6f1b1c2e-8a3d-5c5b-9e7f-000000000001';
const ACME_EXT = 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e';

describe('identifiers (rules/identifiers.ts)', () => {
  it('rejects an id whose type part differs from type', () => {
    expect(errorCodes(strict(makeIdentity({ id: idOf('malware') })))).toEqual(['id-type-mismatch']);
  });

  it('rejects a UUID without the RFC 4122 variant bits', () => {
    expect(
      errorCodes(strict(makeIdentity({ id: 'identity--6f1b1c2e-8a3d-4c5b-1e7f-000000000001' }))),
    ).toEqual(['id-uuid-invalid']);
  });

  it('rejects a UUID with version 0', () => {
    expect(
      errorCodes(strict(makeIdentity({ id: 'identity--6f1b1c2e-8a3d-0c5b-9e7f-000000000001' }))),
    ).toEqual(['id-uuid-invalid']);
  });

  it('refuses a non-v4 SDO id in strict mode', () => {
    expect(errorCodes(strict(makeIdentity({ id: `identity--${V5}` })))).toEqual(['id-uuid-not-v4']);
  });

  it('only warns about a non-v4 SDO id in permissive mode (OpenCTI mints v5 ids)', () => {
    expect(warningCodes(permissive(makeIdentity({ id: `identity--${V5}` })))).toEqual([
      'id-uuid-not-v4',
    ]);
  });

  it('accepts v4 and v5 SCO ids and warns about other versions', () => {
    expect(strict(makeIpv4Addr({ id: idOf('ipv4-addr') }))).toEqual({ ok: true });
    expect(strict(makeIpv4Addr({ id: `ipv4-addr--${V5}` }))).toEqual({ ok: true });
    expect(warningCodes(strict(makeIpv4Addr({ id: `ipv4-addr--${V1}` })))).toEqual([
      'id-sco-uuid-version',
    ]);
  });

  it('rejects a malformed identifier through the schema', () => {
    expect(errorCodes(strict(makeIdentity({ id: 'identity-123' })))).toContain('pattern-mismatch');
  });
});

describe('object shape', () => {
  it('rejects values that are not objects', () => {
    expect(errorCodes(strict([]))).toEqual(['not-an-object']);
    expect(errorCodes(strict('x'))).toEqual(['not-an-object']);
  });

  it('rejects an object without a type', () => {
    expect(errorCodes(strict({ id: idOf('identity') }))).toEqual(['type-missing']);
  });

  it('rejects a bundle passed as an object', () => {
    expect(errorCodes(strict({ type: 'bundle', id: idOf('bundle'), objects: [] }))).toEqual([
      'bundle-not-allowed',
    ]);
  });

  it('rejects objects of another spec_version', () => {
    expect(errorCodes(strict(makeIdentity({ spec_version: '2.0' })))).toEqual([
      'spec-version-unsupported',
    ]);
  });

  it('requires spec_version on SDOs but not on SCOs', () => {
    expect(errorCodes(strict(makeIdentity({ spec_version: undefined })))).toEqual([
      'required-property-missing',
    ]);
    expect(strict(makeIpv4Addr({ spec_version: undefined }))).toEqual({ ok: true });
  });

  it('reports the missing property path', () => {
    const result = strict(makeIdentity({ name: undefined }));
    expect(result).toEqual({
      ok: false,
      errors: [
        { code: 'required-property-missing', path: '/name', message: 'property name: required' },
      ],
    });
  });
});

describe('custom types (rules/type-name.ts)', () => {
  const custom = (type: string, extra: Record<string, unknown> = {}) => ({
    type,
    id: idOf(type),
    spec_version: '2.1',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    ...extra,
  });

  it('refuses a custom type in strict mode', () => {
    expect(errorCodes(strict(custom('x-misp-object')))).toEqual(['type-unknown']);
  });

  it('accepts an x- custom type in permissive mode without warning', () => {
    expect(permissive(custom('x-misp-object', { x_misp_name: 'file' }))).toEqual({ ok: true });
  });

  it('warns about a custom type without x- prefix or new-sdo extension', () => {
    expect(warningCodes(permissive(custom('acme-thing')))).toEqual(['custom-type-no-x-prefix']);
  });

  it('accepts a new-sdo extension type in permissive mode without warning', () => {
    const obj = custom('acme-thing', { extensions: { [ACME_EXT]: { extension_type: 'new-sdo' } } });
    expect(permissive(obj)).toEqual({ ok: true });
  });

  it('checks the common properties of custom objects', () => {
    expect(
      errorCodes(
        permissive(custom('x-acme', { created_by_ref: idOf('malware'), confidence: 150 })),
      ),
    ).toEqual(['value-out-of-range', 'ref-type-mismatch']);
  });

  it('rejects type names with invalid characters', () => {
    expect(errorCodes(permissive(custom('X_Acme')))).toEqual(['type-invalid']);
    expect(errorCodes(permissive(custom('ab')))).toEqual(['type-invalid']);
  });
});

describe('timestamps and their order (rules/time-order.ts)', () => {
  it('rejects a timestamp without Z', () => {
    expect(errorCodes(strict(makeCampaign({ created: '2024-03-01T10:00:00+00:00' })))).toEqual([
      'timestamp-invalid',
    ]);
  });

  it('rejects an impossible date', () => {
    expect(errorCodes(strict(makeCampaign({ first_seen: '2023-02-29T00:00:00Z' })))).toEqual([
      'timestamp-invalid',
    ]);
  });

  it('rejects modified before created', () => {
    const campaign = makeCampaign({
      created: '2024-03-03T00:00:00.000Z',
      modified: '2024-03-02T10:00:00.000Z',
    });
    expect(errorCodes(strict(campaign))).toEqual(['modified-before-created']);
  });

  it('refuses created/modified without millisecond precision in strict mode only', () => {
    const obj = makeCampaign({
      created: '2024-03-01T10:00:00Z',
      modified: '2024-03-01T10:00:00.5Z',
    });
    expect(errorCodes(strict(obj))).toEqual(['timestamp-precision', 'timestamp-precision']);
    expect(warningCodes(permissive(obj))).toEqual(['timestamp-precision', 'timestamp-precision']);
  });

  it('accepts other timestamps at any precision', () => {
    expect(strict(makeCampaign({ first_seen: '2024-03-01T10:00:00Z' }))).toEqual({ ok: true });
  });

  it('accepts modified equal to created', () => {
    expect(strict(makeCampaign({ created: '2024-03-02T10:00:00.000Z' }))).toEqual({ ok: true });
  });

  it('rejects valid_until equal to valid_from', () => {
    const t = '2024-03-01T10:00:00.000Z';
    expect(errorCodes(strict(makeIndicator({ valid_from: t, valid_until: t })))).toEqual([
      'valid-until-not-after-valid-from',
    ]);
  });

  it('rejects last_observed before first_observed', () => {
    expect(
      errorCodes(
        strict(
          makeObservedData({
            first_observed: '2024-03-05T00:00:00Z',
            last_observed: '2024-03-04T00:00:00Z',
          }),
        ),
      ),
    ).toEqual(['last-observed-before-first-observed']);
  });

  it('rejects a sighting whose last_seen precedes first_seen', () => {
    expect(
      errorCodes(
        strict(
          makeSighting({ first_seen: '2024-03-05T00:00:00Z', last_seen: '2024-03-04T00:00:00Z' }),
        ),
      ),
    ).toEqual(['last-seen-before-first-seen']);
  });

  it('rejects a relationship whose stop_time is not after start_time', () => {
    const t = '2024-03-05T00:00:00Z';
    expect(errorCodes(strict(makeRelationship({ start_time: t, stop_time: t })))).toEqual([
      'stop-time-not-after-start-time',
    ]);
  });

  it('rejects network traffic that ends before it starts', () => {
    expect(
      errorCodes(
        strict(makeNetworkTraffic({ start: '2024-03-05T00:00:00Z', end: '2024-03-04T00:00:00Z' })),
      ),
    ).toEqual(['end-before-start']);
  });

  it('rejects network traffic with end while is_active', () => {
    expect(
      errorCodes(strict(makeNetworkTraffic({ is_active: true, end: '2024-03-04T00:00:00Z' }))),
    ).toEqual(['property-not-allowed']);
  });

  it('rejects a malware analysis that ended before it started', () => {
    expect(
      errorCodes(
        strict(
          makeMalwareAnalysis({
            analysis_started: '2024-03-05T00:00:00Z',
            analysis_ended: '2024-03-04T00:00:00Z',
          }),
        ),
      ),
    ).toEqual(['analysis-ended-before-started']);
  });
});

describe('reference types (rules/references.ts)', () => {
  it('rejects created_by_ref to something other than an identity', () => {
    const result = strict(makeCampaign({ created_by_ref: idOf('malware') }));
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'ref-type-mismatch', path: '/created_by_ref' }],
    });
  });

  it('rejects object_marking_refs to something other than a marking-definition', () => {
    const result = strict(makeCampaign({ object_marking_refs: [TLP2_GREEN_ID, idOf('identity')] }));
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'ref-type-mismatch', path: '/object_marking_refs/1' }],
    });
  });

  it('rejects a sighting of an SCO', () => {
    expect(errorCodes(strict(makeSighting({ sighting_of_ref: idOf('ipv4-addr') })))).toEqual([
      'ref-type-mismatch',
    ]);
  });

  it('rejects where_sighted_refs to a malware and accepts identity and location', () => {
    expect(errorCodes(strict(makeSighting({ where_sighted_refs: [idOf('malware')] })))).toEqual([
      'ref-type-mismatch',
    ]);
    expect(
      strict(makeSighting({ where_sighted_refs: [idOf('identity'), idOf('location')] })),
    ).toEqual({ ok: true });
  });

  it('rejects observed_data_refs to something other than observed-data', () => {
    expect(errorCodes(strict(makeSighting({ observed_data_refs: [idOf('report')] })))).toEqual([
      'ref-type-mismatch',
    ]);
  });

  it('rejects malware sample_refs to an SDO', () => {
    expect(errorCodes(strict(makeMalware({ sample_refs: [idOf('indicator')] })))).toEqual([
      'ref-type-mismatch',
    ]);
  });

  it('rejects a relationship to another relationship or a marking-definition', () => {
    expect(errorCodes(strict(makeRelationship({ target_ref: idOf('relationship') })))).toEqual([
      'ref-type-mismatch',
    ]);
    expect(
      errorCodes(strict(makeRelationship({ source_ref: idOf('marking-definition') }))),
    ).toEqual(['ref-type-mismatch']);
  });

  it('accepts a relationship to an SCO (STIX 2.1 §5.1)', () => {
    expect(
      strict(
        makeRelationship({
          relationship_type: 'consists-of',
          source_ref: idOf('infrastructure'),
          target_ref: idOf('ipv4-addr'),
        }),
      ),
    ).toEqual({ ok: true });
  });

  it('rejects observed-data object_refs to an SDO', () => {
    expect(errorCodes(strict(makeObservedData({ object_refs: [idOf('malware')] })))).toEqual([
      'ref-type-mismatch',
    ]);
  });

  it('checks references inside SCO extensions and nested lists', () => {
    expect(
      errorCodes(
        strict(makeFile({ extensions: { 'archive-ext': { contains_refs: [idOf('url')] } } })),
      ),
    ).toEqual(['ref-type-mismatch']);
    expect(
      errorCodes(
        strict(
          makeEmailMessage({
            is_multipart: true,
            body: undefined,
            body_multipart: [{ body_raw_ref: idOf('url') }],
          }),
        ),
      ),
    ).toEqual(['ref-type-mismatch']);
  });

  it('rejects network-traffic src_ref to a url', () => {
    expect(errorCodes(strict(makeNetworkTraffic({ src_ref: idOf('url') })))).toEqual([
      'ref-type-mismatch',
    ]);
  });

  it('lets a custom type stand in for an SDO only in permissive mode', () => {
    const report = makeReport({ object_refs: [idOf('x-acme-thing')] });
    expect(permissive(report)).toEqual({ ok: true });
    expect(errorCodes(strict(report))).toEqual(['ref-type-mismatch']);
  });

  it('rejects a custom _ref property that does not hold an identifier', () => {
    expect(errorCodes(permissive(makeCampaign({ x_acme_owner_ref: 'bob' })))).toEqual([
      'ref-invalid',
    ]);
  });
});

describe('custom properties (rules/custom-properties.ts)', () => {
  it('accepts x_misp_ and x_opencti_ properties in permissive mode without warning', () => {
    expect(
      permissive(makeIndicator({ x_misp_category: 'Network activity', x_opencti_score: 80 })),
    ).toEqual({ ok: true });
  });

  it('refuses custom properties in strict mode', () => {
    expect(errorCodes(strict(makeIndicator({ x_opencti_score: 80 })))).toEqual(['custom-property']);
  });

  it('warns about custom properties without the x_ prefix', () => {
    expect(warningCodes(permissive(makeIdentity({ foo: 'bar' })))).toEqual([
      'custom-property-no-x-prefix',
    ]);
  });

  it('rejects custom property names with invalid characters or length in every mode', () => {
    expect(errorCodes(permissive(makeIdentity({ 'x-Foo': 1 })))).toEqual([
      'custom-property-name-invalid',
    ]);
    expect(errorCodes(permissive(makeIdentity({ ab: 1 })))).toEqual([
      'custom-property-name-invalid',
    ]);
  });

  it('refuses null, empty-list and mistyped _hex/_bin custom values in strict mode and warns in permissive mode', () => {
    const obj = makeIndicator({
      x_acme_note: null,
      x_acme_tags: [],
      x_acme_magic_hex: 'zz',
      x_acme_blob_bin: 'not base64!',
    });
    expect(errorCodes(strict(obj))).toEqual([
      'custom-property-value-invalid',
      'custom-property',
      'custom-property-value-invalid',
      'custom-property',
      'custom-property-value-invalid',
      'custom-property',
      'custom-property-value-invalid',
      'custom-property',
    ]);
    expect(warningCodes(permissive(obj))).toEqual([
      'custom-property-value-invalid',
      'custom-property-value-invalid',
      'custom-property-value-invalid',
      'custom-property-value-invalid',
    ]);
  });

  it('reports at most 100 errors for one object', () => {
    const obj = makeIdentity(
      Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`Bad-${i}`, 1])),
    );
    const result = permissive(obj);
    expect(errorCodes(result)).toHaveLength(100);
  });

  it('rejects a __proto__ property', () => {
    const obj = JSON.parse(
      JSON.stringify(makeIdentity()).replace('{', '{"__proto__":{"x":1},'),
    ) as unknown;
    expect(errorCodes(permissive(obj))).toEqual(['custom-property-name-invalid']);
  });

  it('accepts top-level properties of a registered toplevel-property-extension in strict mode', () => {
    const v = createStixValidator({ extensionDefinitions: [ACME_EXT] });
    const obj = makeIdentity({
      acme_rating: 3,
      extensions: { [ACME_EXT]: { extension_type: 'toplevel-property-extension' } },
    });
    expect(v.validateObject(obj, { mode: 'strict' })).toEqual({ ok: true });
  });
});

describe('extensions (rules/extensions.ts)', () => {
  it('refuses an unregistered extension-definition in strict mode and accepts it in permissive mode', () => {
    const obj = makeIdentity({
      extensions: { [ACME_EXT]: { extension_type: 'property-extension', rating: 3 } },
    });
    expect(errorCodes(strict(obj))).toEqual(['extension-unregistered']);
    expect(permissive(obj)).toEqual({ ok: true });
  });

  it('accepts a registered extension-definition in strict mode', () => {
    const v = createStixValidator({ extensionDefinitions: [ACME_EXT] });
    const obj = makeIdentity({
      extensions: { [ACME_EXT]: { extension_type: 'property-extension', rating: 3 } },
    });
    expect(v.validateObject(obj, { mode: 'strict' })).toEqual({ ok: true });
  });

  it('requires extension_type on extension-definition extensions', () => {
    expect(
      errorCodes(permissive(makeIdentity({ extensions: { [ACME_EXT]: { rating: 3 } } }))),
    ).toEqual(['extension-type-missing']);
    expect(
      errorCodes(
        permissive(makeIdentity({ extensions: { [ACME_EXT]: { extension_type: 'other' } } })),
      ),
    ).toEqual(['extension-type-invalid']);
  });

  it('rejects a predefined extension on the wrong type', () => {
    expect(
      errorCodes(
        permissive(
          makeProcess({ extensions: { 'archive-ext': { contains_refs: [idOf('file')] } } }),
        ),
      ),
    ).toEqual(['extension-wrong-type']);
  });

  it('validates predefined extensions against their schema', () => {
    const result = strict(
      makeNetworkTraffic({ extensions: { 'socket-ext': { address_family: 'AF_MARS' } } }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'enum-value', path: '/extensions/socket-ext/address_family' }],
    });
  });

  it('treats a 2.0-style custom extension as an error in strict mode and a warning in permissive mode', () => {
    const obj = makeFile({ extensions: { 'x-acme-ext': { flag: true } } });
    expect(errorCodes(strict(obj))).toEqual(['extension-custom']);
    expect(warningCodes(permissive(obj))).toEqual(['extension-custom']);
  });

  it('rejects a malformed extension-definition key', () => {
    expect(
      errorCodes(
        permissive(
          makeIdentity({
            extensions: { 'extension-definition--xyz': { extension_type: 'property-extension' } },
          }),
        ),
      ),
    ).toEqual(['extension-key-invalid']);
  });

  it('rejects extension keys with characters outside the allowed set', () => {
    const result = permissive(
      makeIdentity({ extensions: { 'Bad Key': { extension_type: 'property-extension' } } }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'key-invalid', path: '/extensions/Bad Key' }],
    });
    expect(errorCodes(result)).toEqual(['key-invalid']);
  });

  it('requires the TLP 2.0 extension to be a property-extension', () => {
    expect(
      errorCodes(
        strict(
          makeTlp2Green({
            extensions: { [TLP2_EXTENSION]: { extension_type: 'new-sdo', tlp_2_0: 'green' } },
          }),
        ),
      ),
    ).toEqual(['property-value']);
  });

  it('rejects an empty extensions dictionary', () => {
    expect(errorCodes(strict(makeFile({ extensions: {} })))).toEqual(['dictionary-empty']);
  });
});

describe('granular markings (rules/granular-markings.ts)', () => {
  it('accepts selectors that resolve to populated properties and list items', () => {
    const obj = makeCampaign({
      description: 'x',
      external_references: [{ source_name: 'acme', url: 'https://example.com/r/1' }],
      granular_markings: [
        { marking_ref: TLP2_GREEN_ID, selectors: ['description', 'external_references.[0].url'] },
      ],
    });
    expect(strict(obj)).toEqual({ ok: true });
  });

  it('rejects selectors that do not resolve', () => {
    const obj = makeCampaign({
      description: 'x',
      granular_markings: [
        {
          marking_ref: TLP2_GREEN_ID,
          selectors: ['description', 'aliases.[0]', 'description.[0]'],
        },
      ],
    });
    const result = strict(obj);
    expect(errorCodes(result)).toEqual([
      'granular-marking-selector-unresolved',
      'granular-marking-selector-unresolved',
    ]);
    expect(result).toMatchObject({
      errors: [
        { path: '/granular_markings/0/selectors/1' },
        { path: '/granular_markings/0/selectors/2' },
      ],
    });
  });

  it('requires exactly one of lang and marking_ref', () => {
    expect(
      errorCodes(
        strict(
          makeCampaign({
            granular_markings: [{ lang: 'en', marking_ref: TLP2_GREEN_ID, selectors: ['name'] }],
          }),
        ),
      ),
    ).toContain('exclusive-properties');
  });

  it('rejects a granular marking_ref that is not a marking-definition', () => {
    expect(
      errorCodes(
        strict(
          makeCampaign({
            granular_markings: [{ marking_ref: idOf('identity'), selectors: ['name'] }],
          }),
        ),
      ),
    ).toContain('ref-type-mismatch');
  });
});

describe('TLP marking-definitions (rules/tlp-markings.ts)', () => {
  it('accepts the published TLP 2.0 and TLP 1.0 markings', () => {
    expect(strict(makeTlp2Green())).toEqual({ ok: true });
    expect(strict(makeTlp1Red())).toEqual({ ok: true });
  });

  it('rejects a published TLP id carrying another level', () => {
    expect(errorCodes(strict(makeTlp1Red({ definition: { tlp: 'white' } })))).toEqual([
      'tlp-marking-mismatch',
    ]);
    expect(
      errorCodes(
        strict(
          makeTlp2Green({
            extensions: {
              [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: 'red' },
            },
          }),
        ),
      ),
    ).toEqual(['tlp-marking-mismatch']);
  });

  it('rejects a published TLP marking with another created timestamp or name in strict mode', () => {
    expect(errorCodes(strict(makeTlp2Green({ created: '2023-01-01T00:00:00.000Z' })))).toEqual([
      'tlp-marking-mismatch',
    ]);
    expect(errorCodes(strict(makeTlp2Green({ name: 'TLP:GREEN+' })))).toEqual([
      'tlp-marking-mismatch',
    ]);
  });

  it('only warns about another name on a published TLP id in permissive mode', () => {
    expect(warningCodes(permissive(makeTlp1Red({ name: 'tlp:red' })))).toEqual([
      'tlp-marking-mismatch',
    ]);
  });

  it('rejects a published TLP id carrying another level in permissive mode too', () => {
    expect(errorCodes(permissive(makeTlp1Red({ definition: { tlp: 'green' } })))).toEqual([
      'tlp-marking-mismatch',
    ]);
  });

  it('rejects a TLP marking-definition under an unpublished id', () => {
    expect(errorCodes(strict(makeTlp1Red({ id: idOf('marking-definition') })))).toEqual([
      'tlp-marking-unpublished',
    ]);
    expect(errorCodes(strict(makeTlp2Green({ id: idOf('marking-definition') })))).toEqual([
      'tlp-marking-unpublished',
    ]);
  });

  it('rejects a TLP 1.0 definition with a level outside the enum', () => {
    expect(
      errorCodes(
        strict(makeStatementMarking({ definition_type: 'tlp', definition: { tlp: 'clear' } })),
      ),
    ).toContain('enum-value');
  });

  it('requires a statement in statement markings', () => {
    expect(errorCodes(strict(makeStatementMarking({ definition: { text: 'x' } })))).toContain(
      'required-property-missing',
    );
  });
});

describe('common property values', () => {
  it('rejects confidence outside 0-100', () => {
    expect(errorCodes(strict(makeCampaign({ confidence: 101 })))).toEqual(['value-out-of-range']);
    expect(errorCodes(strict(makeCampaign({ confidence: -1 })))).toEqual(['value-out-of-range']);
    expect(strict(makeCampaign({ confidence: 100 }))).toEqual({ ok: true });
  });

  it('rejects an empty required name', () => {
    expect(errorCodes(strict(makeCampaign({ name: '' })))).toEqual(['string-empty']);
  });

  it('rejects a revoked that is not a boolean', () => {
    expect(errorCodes(strict(makeCampaign({ revoked: 'yes' })))).toEqual(['property-type']);
  });

  it('rejects a lang that is not an RFC 5646 tag (rules/lang.ts)', () => {
    expect(errorCodes(strict(makeCampaign({ lang: 'english language' })))).toEqual([
      'lang-invalid',
    ]);
    expect(strict(makeCampaign({ lang: 'fa-IR' }))).toEqual({ ok: true });
  });

  it('rejects language-content keys that are not language tags', () => {
    expect(
      errorCodes(strict(makeLanguageContent({ contents: { 'not a tag': { name: 'x' } } }))),
    ).toContain('lang-invalid');
  });

  it('rejects an external reference with only a source_name', () => {
    expect(
      errorCodes(strict(makeCampaign({ external_references: [{ source_name: 'acme' }] }))),
    ).toEqual(['alternative-missing']);
  });

  it('rejects an external reference url that is not a URL in any mode (rules/urls.ts)', () => {
    const obj = makeCampaign({ external_references: [{ source_name: 'acme', url: 'not a url' }] });
    expect(strict(obj)).toMatchObject({
      ok: false,
      errors: [{ code: 'url-invalid', path: '/external_references/0/url' }],
    });
    expect(errorCodes(permissive(obj))).toEqual(['url-invalid']);
  });

  it('accepts a WHATWG-only URL with a warning in permissive mode and refuses it in strict mode', () => {
    const obj = makeCampaign({
      external_references: [{ source_name: 'acme', url: 'https://example.com/report on ü.pdf' }],
    });
    expect(warningCodes(permissive(obj))).toEqual(['url-not-rfc3986']);
    expect(errorCodes(strict(obj))).toEqual(['url-invalid']);
  });

  it('checks the url of an artifact', () => {
    expect(
      errorCodes(
        strict(
          makeArtifact({
            payload_bin: undefined,
            url: 'nope',
            hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' },
          }),
        ),
      ),
    ).toEqual(['url-invalid']);
  });

  it('enforces the format of known hash algorithms and accepts other algorithm names', () => {
    expect(errorCodes(strict(makeFile({ hashes: { MD5: 'xyz' } })))).toEqual(['pattern-mismatch']);
    expect(strict(makeFile({ hashes: { 'x-custom-hash': 'abc' } }))).toEqual({ ok: true });
  });

  it('rejects empty lists in common properties', () => {
    expect(errorCodes(strict(makeCampaign({ labels: [] })))).toEqual(['list-empty']);
  });
});

describe('per-type constraints (rules/object-constraints.ts)', () => {
  it('requires latitude and longitude together', () => {
    expect(errorCodes(strict(makeLocation({ latitude: 35.7 })))).toEqual([
      'location-coordinates-incomplete',
    ]);
  });

  it('rejects precision without coordinates', () => {
    expect(errorCodes(strict(makeLocation({ precision: 10 })))).toEqual([
      'location-precision-without-coordinates',
    ]);
  });

  it('accepts a location given only by coordinates', () => {
    expect(
      strict(makeLocation({ country: undefined, latitude: 35.7, longitude: 51.4, precision: 100 })),
    ).toEqual({ ok: true });
  });

  it('requires a name for a malware family', () => {
    expect(errorCodes(strict(makeMalware({ name: undefined })))).toEqual([
      'malware-family-name-missing',
    ]);
    expect(strict(makeMalware({ name: undefined, is_family: false }))).toEqual({ ok: true });
  });

  it('accepts IPv4 CIDR blocks and rejects bad prefixes', () => {
    expect(strict(makeIpv4Addr({ value: '198.51.100.0/24' }))).toEqual({ ok: true });
    expect(errorCodes(strict(makeIpv4Addr({ value: '198.51.100.0/33' })))).toEqual([
      'ipv4-addr-value-invalid',
    ]);
  });

  it('rejects a sighting count below zero', () => {
    expect(errorCodes(strict(makeSighting({ count: -1 })))).toEqual(['value-out-of-range']);
  });

  it('rejects observed-data with both objects and object_refs', () => {
    expect(
      errorCodes(
        strict(
          makeObservedData({ objects: { '0': { type: 'ipv4-addr', value: '198.51.100.1' } } }),
        ),
      ),
    ).toContain('exclusive-properties');
  });

  it('accepts the deprecated observed-data objects with a warning', () => {
    const obj = makeObservedData({
      object_refs: undefined,
      objects: { '0': { type: 'ipv4-addr', value: '198.51.100.1' } },
    });
    expect(warningCodes(strict(obj))).toEqual(['deprecated-property']);
  });

  it('requires hashes on an artifact given by url', () => {
    expect(
      errorCodes(
        strict(
          makeArtifact({
            payload_bin: undefined,
            url: 'https://example.com/a.bin',
            id: idOf('artifact'),
          }),
        ),
      ),
    ).toEqual(['required-property-missing']);
  });

  it('requires a fully spelled-out registry hive', () => {
    expect(errorCodes(strict(makeWindowsRegistryKey({ key: 'HKLM\\Software\\Dust' })))).toEqual([
      'registry-key-hive',
    ]);
    expect(strict(makeWindowsRegistryKey({ key: 'hkey_current_user\\Software' }))).toEqual({
      ok: true,
    });
  });

  it('refuses an object nested too deeply to validate instead of throwing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const result = strict(makeLanguageContent({ contents: { de: { name: deep } } }));
    expect(errorCodes(result)).toEqual(['object-too-deep']);
  });

  it('accepts grouping with object_refs to any STIX object', () => {
    expect(
      strict(
        makeGrouping({ object_refs: [idOf('ipv4-addr'), idOf('relationship'), idOf('note')] }),
      ),
    ).toEqual({ ok: true });
  });
});

describe('indicator patterns (rules/pattern.ts)', () => {
  it('rejects a malformed STIX pattern', () => {
    const result = strict(makeIndicator({ pattern: "[ipv4-addr:value = '198.51.100.7'" }));
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'pattern-invalid', path: '/pattern' }],
    });
  });

  it('accepts a complex STIX pattern', () => {
    const pattern =
      "([file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'] AND [network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']) WITHIN 300 SECONDS";
    expect(strict(makeIndicator({ pattern }))).toEqual({ ok: true });
  });

  it('stores other pattern types without parsing them', () => {
    expect(
      strict(
        makeIndicator({ pattern_type: 'snort', pattern: 'alert tcp any any -> any 80 (msg:"x";)' }),
      ),
    ).toEqual({ ok: true });
  });

  it('uses the injected parser when given one', () => {
    const v = createStixValidator({
      parsePattern: () => {
        throw Object.assign(new Error('nope at 0'), { position: 0 });
      },
    });
    expect(errorCodes(v.validateObject(makeIndicator(), { mode: 'strict' }))).toEqual([
      'pattern-invalid',
    ]);
  });
});
