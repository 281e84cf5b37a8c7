// Responses node:http would build itself (parser errors, header overflow, request timeouts,
// an unknown Expect) still go out as TAXII error messages with the security headers, never
// as a bare status line with an empty body.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TAXII_MEDIA_TYPE } from './media-type.js';
import { securityHeaderList } from './middleware.js';

interface ClientError extends Error {
  code?: string;
}

interface Refusal {
  status: number;
  reason: string;
  title: string;
  description: string;
}

/** node:http server options that leave these decisions to stixgate. */
export const NODE_SERVER_OPTIONS = {
  // A missing or repeated Host is answered by the app (middleware requireOneHost) with a body.
  requireHostHeader: false,
} as const;

function refusalOf(error: ClientError): Refusal {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        title: 'Request headers too large',
        description: 'the request headers exceed 16 KiB',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        reason: 'Payload Too Large',
        title: 'Request body too large',
        description: 'chunk extensions too large',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        title: 'Request timeout',
        description: 'the request was not received in time',
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        title: 'Bad request',
        description: 'malformed HTTP request',
      };
  }
}

function errorBody(refusal: Refusal): string {
  return JSON.stringify({
    title: refusal.title,
    description: refusal.description,
    http_status: String(refusal.status),
  });
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
    const refusal = refusalOf(error);
    const body = errorBody(refusal);
    const head = [
      `HTTP/1.1 ${refusal.status} ${refusal.reason}`,
      `Content-Type: ${TAXII_MEDIA_TYPE}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      ...security.map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
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
    const body = errorBody({
      status: 417,
      reason: 'Expectation Failed',
      title: 'Expectation failed',
      description: 'only "Expect: 100-continue" is supported',
    });
    for (const [name, value] of security) res.setHeader(name, value);
    res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.setHeader('Connection', 'close');
    res.writeHead(417).end(body);
  };
}

/** Installs both handlers on a server created with NODE_SERVER_OPTIONS. */
export function answerNodeRefusals(server: Server, options: { tls: boolean }): void {
  server.on('clientError', createClientErrorHandler(options));
  server.on('checkExpectation', createExpectationHandler(options));
}
