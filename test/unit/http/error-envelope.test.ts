// error-envelope.ts: the only kind → status mapping, with a safe body.
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConfigError,
  ForbiddenError,
  InternalError,
  InvalidFilterError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../src/errors.js';
import { toErrorResponse, WWW_AUTHENTICATE } from '../../../src/http/error-envelope.js';

describe('toErrorResponse', () => {
  it.each([
    [new BadRequestError('bad'), 400],
    [new InvalidFilterError('limit', 'must be positive'), 400],
    [new UnauthenticatedError(), 401],
    [new ForbiddenError(), 403],
    [new NotFoundError('collection', 'x'), 404],
    [new PayloadTooLargeError(10), 413],
    [new TooManyRequestsError(5), 429],
    [new UnavailableError('store down'), 503],
    [new InternalError('bug'), 500],
    [new ConfigError('x', 'y'), 500],
  ])('maps %s to %i with http_status as a string', (error, status) => {
    const res = toErrorResponse(error);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toMatchObject({ http_status: String(status) });
  });

  it('answers unknown errors with a generic 500 that hides the message', () => {
    const res = toErrorResponse(new Error('SELECT * FROM secrets failed at /srv/app.js:10'));
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      title: 'Internal error',
      description: 'internal error',
      http_status: '500',
    });
  });

  it('hides the message of internal errors', () => {
    expect(JSON.parse(toErrorResponse(new InternalError('detail')).body).description).toBe(
      'internal error',
    );
  });

  it('adds WWW-Authenticate to 401 and Retry-After to 429', () => {
    expect(toErrorResponse(new UnauthenticatedError()).headers['WWW-Authenticate']).toBe(
      WWW_AUTHENTICATE,
    );
    expect(toErrorResponse(new TooManyRequestsError(7)).headers['Retry-After']).toBe('7');
  });

  it('keeps the client-safe message of 4xx errors', () => {
    expect(
      JSON.parse(
        toErrorResponse(new InvalidFilterError('limit', 'must be a positive integer')).body,
      ).description,
    ).toBe('invalid limit: must be a positive integer');
  });
});
