// Requests node:http refuses before express sees them (headers over 16 KiB, malformed request
// lines) still get a TAXII error message with the security headers, not a bare status line.
import type { Socket } from 'node:net';
import { securityHeaderList } from './middleware.js';

interface ClientError extends Error {
  code?: string;
}

export function createClientErrorHandler(options: {
  tls: boolean;
}): (error: ClientError, socket: Socket) => void {
  const security = securityHeaderList(options);
  return (error, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // Timeouts and resets have nobody left to answer.
    if (error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      title: tooLarge ? 'Request headers too large' : 'Bad request',
      description: tooLarge ? 'the request headers exceed 16 KiB' : 'malformed HTTP request',
      http_status: String(status),
    });
    const head = [
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      'Content-Type: application/taxii+json;version=2.1',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      ...security.map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  };
}
