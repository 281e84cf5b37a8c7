// MUSTs of STIX 2.1 that a differential against the OASIS validator found unchecked: each has
// its own rule and error code, in both modes unless a real producer needs leniency.
import { describe, expect, it } from 'vitest';
import {
  idOf,
  makeFile,
  makeIndicator,
  makeIpv4Addr,
  makeMalware,
  makeProcess,
  makeStatementMarking,
  makeUrl,
} from '../../support/builders.js';
import { errorCodes, permissive, strict, warningCodes } from './support.js';

const V5 = '6f1b1c2e-8a3d-5c5b-9e7f-000000000001';
const modes = [
  ['strict', strict],
  ['permissive', permissive],
] as const;

describe.each(modes)('%s mode', (_mode, validate) => {
  it('refuses a marking-definition that marks itself (object_marking_refs)', () => {
    const m = makeStatementMarking();
    expect(errorCodes(validate({ ...m, object_marking_refs: [m.id] }))).toEqual([
      'marking-self-reference',
    ]);
  });

  it('refuses a marking-definition that marks itself (granular_markings)', () => {
    const m = makeStatementMarking();
    const g = { ...m, granular_markings: [{ marking_ref: m.id, selectors: ['name'] }], name: 'n' };
    expect(errorCodes(validate(g))).toContain('marking-self-reference');
  });

  it('refuses a UUIDv5 SCO id without any ID contributing property', () => {
    const file = makeFile({ id: idOf('file', V5), hashes: undefined, name: undefined, size: 10 });
    expect(errorCodes(validate(file))).toContain('id-sco-v5-without-contributing-properties');
    expect(errorCodes(validate(makeProcess({ id: idOf('process', V5) })))).toEqual([
      'id-sco-v5-without-contributing-properties',
    ]);
  });

  it('accepts a UUIDv5 SCO id with an ID contributing property, and UUIDv4 without', () => {
    expect(validate(makeIpv4Addr({ id: idOf('ipv4-addr', V5) })).ok).toBe(true);
    expect(validate(makeProcess()).ok).toBe(true);
  });

  it('refuses hashes keys shorter than 3 characters (§2.7)', () => {
    expect(
      errorCodes(validate(makeFile({ hashes: { MD: 'd41d8cd98f00b204e9800998ecf8427e' } }))),
    ).toEqual(['hashes-key-too-short']);
  });

  it.each(['severity', 'username', 'phone_number', 'action'])(
    'refuses the reserved property name %s under its own code',
    (name) => {
      expect(errorCodes(validate(makeIndicator({ [name]: 'x' })))).toEqual(['property-reserved']);
    },
  );

  it('refuses defanged on an SDO, accepts it on an SCO', () => {
    expect(errorCodes(validate(makeMalware({ defanged: true })))).toEqual(['defanged-not-sco']);
    expect(validate(makeUrl({ value: 'http://a.example/', defanged: true })).ok).toBe(true);
  });
});

describe('url SCO value (§6.15.1)', () => {
  it('is refused in strict mode when not an RFC 3986 URI', () => {
    expect(errorCodes(strict(makeUrl({ value: 'http://bad host/a b' })))).toEqual([
      'url-value-not-rfc3986',
    ]);
    expect(errorCodes(strict(makeUrl({ value: 'c2.example/gate.php' })))).toEqual([
      'url-value-not-rfc3986',
    ]);
  });

  it('is kept with a warning in permissive mode (MISP exports url attributes verbatim)', () => {
    const result = permissive(makeUrl({ value: 'http://bad host/a b' }));
    expect(result.ok).toBe(true);
    expect(warningCodes(result)).toEqual(['url-value-not-rfc3986']);
  });
});
