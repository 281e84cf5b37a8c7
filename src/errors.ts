// Typed failures of stixgate. Each carries a `kind`, never an HTTP status: the HTTP layer
// (src/http/error-envelope.ts) is the only place that maps kinds to TAXII error responses.
// Messages are safe to show to a client: never put tokens, secrets or object bodies in them.

export type ErrorKind =
  | 'bad-request'
  | 'invalid-filter'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'not-acceptable'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'unprocessable'
  | 'conflict'
  | 'too-many-requests'
  | 'config'
  | 'unavailable'
  | 'internal';

export abstract class StixgateError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request itself is malformed (not JSON, not an envelope, bad path…). */
export class BadRequestError extends StixgateError {
  readonly kind = 'bad-request' as const;
}

/** A query parameter (match[…], added_after, limit, next) is malformed. TAXII 2.1 §3.4: 400. */
export class InvalidFilterError extends StixgateError {
  readonly kind = 'invalid-filter' as const;
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(`invalid ${parameter}: ${reason}`);
  }
}

/** No credentials, or credentials that do not verify. Never says which check failed in detail. */
export class UnauthenticatedError extends StixgateError {
  readonly kind = 'unauthenticated' as const;
  constructor(message = 'authentication required', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The caller can see the resource but may not do this to it. */
export class ForbiddenError extends StixgateError {
  readonly kind = 'forbidden' as const;
  constructor(message = 'not permitted') {
    super(message);
  }
}

/**
 * The resource does not exist, or the caller may not see it: both answer the same way so
 * that nobody learns what exists (TAXII 2.1 Appendix B).
 */
export class NotFoundError extends StixgateError {
  readonly kind = 'not-found' as const;
  constructor(
    readonly resource: string,
    readonly resourceId?: string,
  ) {
    super(`${resource} not found`);
  }
}

/** The path is a known endpoint but not for this method; `allow` lists the methods it has. */
export class MethodNotAllowedError extends StixgateError {
  readonly kind = 'method-not-allowed' as const;
  constructor(readonly allow: readonly string[]) {
    super(`method not allowed here (allowed: ${allow.join(', ')})`);
  }
}

export class NotAcceptableError extends StixgateError {
  readonly kind = 'not-acceptable' as const;
}

export class UnsupportedMediaTypeError extends StixgateError {
  readonly kind = 'unsupported-media-type' as const;
}

export class PayloadTooLargeError extends StixgateError {
  readonly kind = 'payload-too-large' as const;
  constructor(readonly maxBytes: number) {
    super(`request body exceeds max_content_length of ${maxBytes} bytes`);
  }
}

/** Well-formed request whose content cannot be processed (e.g. invalid STIX in a single-object write). */
export class UnprocessableError extends StixgateError {
  readonly kind = 'unprocessable' as const;
}

/** A write conflicts with existing state (e.g. duplicate collection id or alias). */
export class ConflictError extends StixgateError {
  readonly kind = 'conflict' as const;
}

export class TooManyRequestsError extends StixgateError {
  readonly kind = 'too-many-requests' as const;
  constructor(readonly retryAfterSeconds: number) {
    super('too many requests');
  }
}

/** Configuration is invalid; `key` names the offending setting (e.g. `collections[2].alias`). */
export class ConfigError extends StixgateError {
  readonly kind = 'config' as const;
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`${key}: ${reason}`);
  }
}

/** A dependency (store, key file) is not available right now. */
export class UnavailableError extends StixgateError {
  readonly kind = 'unavailable' as const;
}

/** A bug or an unexpected state; the client only ever sees "internal error". */
export class InternalError extends StixgateError {
  readonly kind = 'internal' as const;
}
