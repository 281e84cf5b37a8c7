// Responses node:http would build itself (parser errors, header overflow, request timeouts,
// an unknown Expect) still go out as TAXII error messages with the security headers, never
// as a bare status line with an empty body.
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  BadRequestError,
  ExpectationFailedError,
  HeadersTooLargeError,
  RequestTimeoutError,
  StixgateError,
} from '../errors.js';
import { toErrorResponse } from './error-envelope.js';
import { TAXII_MEDIA_TYPE } from './media-type.js';
import { securityHeaderList } from './middleware.js';

interface ClientError extends Error {
  code?: string;
}

/** node:http server options that leave these decisions to stixgate. */
export const NODE_SERVER_OPTIONS = {
  // A missing or repeated Host is answered by the app (middleware requireOneHost) with a body.
  requireHostHeader: false,
} as const;

/** The typed error of a refusal node:http reports; its response comes from error-envelope.ts. */
function refusalOf(error: ClientError): StixgateError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HeadersTooLargeError('the request headers exceed 16 KiB');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new RefusedPayloadError('chunk extensions too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RequestTimeoutError('the request was not received in time');
    default:
      return new BadRequestError('malformed HTTP request');
  }
}

/** A 413 whose message is not about max_content_length. */
class RefusedPayloadError extends StixgateError {
  readonly kind = 'payload-too-large' as const;
}

/** Status line, headers and body of a refusal written straight to the socket. */
function rawResponse(error: StixgateError, security: readonly (readonly [string, string])[]) {
  const response = toErrorResponse(error);
  const head = [
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? 'Error'}`,
    `Content-Type: ${TAXII_MEDIA_TYPE}`,
    `Content-Length: ${Buffer.byteLength(response.body)}`,
    'Connection: close',
    ...security.map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${response.body}`;
}

export function createClientErrorHandler(options: {
  tls: boolean;
}): (error: ClientError, socket: Socket) => void {
  const security = securityHeaderList(options);
  return (error, socket) => {
    // A reset has nobody left to answer.
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(rawResponse(refusalOf(error), security));
  };
}

/**
 * RFC 9110 §10.1.1: an Expect other than 100-continue is answered 417. node:http would send an
 * empty 417; this one carries the TAXII error message.
 */
export function createExpectationHandler(options: {
  tls: boolean;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const security = securityHeaderList(options);
  return (_req, res) => {
    const response = toErrorResponse(
      new ExpectationFailedError('only "Expect: 100-continue" is supported'),
    );
    for (const [name, value] of security) res.setHeader(name, value);
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(response.body));
    res.setHeader('Connection', 'close');
    res.writeHead(response.status).end(response.body);
  };
}

/** Installs both handlers on a server created with NODE_SERVER_OPTIONS. */
export function answerNodeRefusals(server: Server, options: { tls: boolean }): void {
  server.on('clientError', createClientErrorHandler(options));
  server.on('checkExpectation', createExpectationHandler(options));
}
