// TAXII 2.1 envelope and STIX bundle shapes (whole-body problems: 400/422 for the HTTP layer).
import { describe, it, expect } from 'vitest';
import { idOf, makeIndicator } from '../../support/builders.js';
import { errorCodes, validator } from './support.js';

const envelope = (body: unknown) => validator().validateEnvelope(body);

describe('validateEnvelope', () => {
  it('accepts an envelope of objects', () => {
    expect(envelope({ objects: [makeIndicator()] })).toEqual({ ok: true });
  });

  it('accepts an envelope with an empty objects list', () => {
    expect(envelope({ objects: [] })).toEqual({ ok: true });
  });

  it('rejects a body that is not a JSON object', () => {
    expect(errorCodes(envelope([makeIndicator()]))).toEqual(['envelope-not-object']);
    expect(errorCodes(envelope(null))).toEqual(['envelope-not-object']);
  });

  it('rejects a STIX bundle posted instead of an envelope', () => {
    expect(errorCodes(envelope({ type: 'bundle', id: idOf('bundle'), objects: [] }))).toEqual([
      'envelope-is-bundle',
    ]);
  });

  it('rejects an envelope without objects', () => {
    expect(errorCodes(envelope({ more: false }))).toEqual(['envelope-objects-missing']);
  });

  it('rejects objects that is not a list of objects', () => {
    expect(errorCodes(envelope({ objects: {} }))).toEqual(['property-type']);
    expect(envelope({ objects: [1] })).toMatchObject({
      ok: false,
      errors: [{ code: 'property-type', path: '/objects/0' }],
    });
  });

  it('rejects a non-boolean more', () => {
    expect(errorCodes(envelope({ objects: [], more: 'no' }))).toEqual(['property-type']);
  });
});

describe('validateBundle', () => {
  it('accepts a bundle', () => {
    expect(
      validator().validateBundle({
        type: 'bundle',
        id: idOf('bundle'),
        objects: [makeIndicator()],
      }),
    ).toEqual({ ok: true });
  });

  it('rejects a bundle with a foreign id', () => {
    expect(
      errorCodes(validator().validateBundle({ type: 'bundle', id: idOf('report'), objects: [] })),
    ).toEqual(['pattern-mismatch']);
  });

  it('rejects something that is not a bundle', () => {
    expect(errorCodes(validator().validateBundle({ objects: [] }))).toContain(
      'required-property-missing',
    );
  });
});
