// Accept and Content-Type checks (TAXII 2.1 §3.1).
import { describe, expect, it } from 'vitest';
import { NotAcceptableError, UnsupportedMediaTypeError } from '../../../src/errors.js';
import {
  acceptableMediaTypes,
  assertAcceptable,
  assertAcceptsTaxii,
  assertTaxiiContentType,
} from '../../../src/http/media-type.js';

describe('assertAcceptsTaxii', () => {
  it.each([
    'application/taxii+json;version=2.1',
    'application/taxii+json',
    'APPLICATION/TAXII+JSON; VERSION=2.1',
    'application/taxii+json;version="2.1"',
    'text/html, application/taxii+json;version=2.1;q=0.5',
    'application/taxii+json;version=2.0, application/taxii+json;version=2.1',
  ])('accepts %s', (accept) => {
    expect(() => assertAcceptsTaxii(accept)).not.toThrow();
  });

  it.each([
    undefined,
    '',
    '*/*',
    'application/*',
    'application/json',
    'application/taxii+json;version=2.0',
    'application/stix+json;version=2.1',
    'application/taxii+json;q=0',
    'application/taxii+json;version=2.1;q=0, application/taxii+json',
    'application/taxii+json;q=2',
  ])('refuses %s with 406', (accept) => {
    expect(() => assertAcceptsTaxii(accept)).toThrow(NotAcceptableError);
  });
});

describe('assertTaxiiContentType', () => {
  it.each([
    'application/taxii+json;version=2.1',
    'application/taxii+json',
    'application/taxii+json; version=2.1; charset=utf-8',
  ])('accepts %s', (type) => {
    expect(() => assertTaxiiContentType(type)).not.toThrow();
  });

  it.each([
    undefined,
    'application/json',
    'application/taxii+json;version=2.0',
    'application/taxii+json;charset=latin1',
    'application/stix+json;version=2.1',
    'text/plain',
  ])('refuses %s with 415', (type) => {
    expect(() => assertTaxiiContentType(type)).toThrow(UnsupportedMediaTypeError);
  });
});

describe('acceptableMediaTypes (TAXII 2.1 §5.3 lists application/stix+json;version=2.1)', () => {
  const manifest = '/api1/collections/c/manifest/';
  it('serves application/stix+json;version=2.1 on the manifest only', () => {
    const accept = 'application/stix+json;version=2.1';
    expect(() => assertAcceptable(accept, acceptableMediaTypes('GET', manifest))).not.toThrow();
    expect(() =>
      assertAcceptable(accept, acceptableMediaTypes('GET', '/api1/collections/c/objects/')),
    ).toThrow(NotAcceptableError);
    expect(() => assertAcceptable(accept, acceptableMediaTypes('POST', manifest))).toThrow(
      NotAcceptableError,
    );
  });
});
