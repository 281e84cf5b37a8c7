// Raw HTTP/1.1 over a socket, for requests fetch refuses to send (repeated headers, no Host,
// odd Expect values) and for reading exactly what the server wrote. The response goes
// through the TAXII 2.1 and OpenAPI checks like every other response of the suite.
import { connect } from 'node:net';
import { checkTaxiiResponse } from './taxii-conformance.js';

export interface RawResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

/** Sends `text` as is and reads until the server closes the connection. */
export function rawHttp(baseUrl: string, text: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      try {
        resolve(checked(baseUrl, text, parseRaw(Buffer.concat(chunks).toString('utf8'))));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.on('error', reject);
  });
}

/** Checks the response against the request line's method and origin-form target. */
function checked(baseUrl: string, request: string, res: RawResponse): RawResponse {
  const [method, target] = request.slice(0, request.indexOf('\r\n')).split(' ');
  if (method !== undefined && target?.startsWith('/'))
    checkTaxiiResponse({
      method,
      url: `${baseUrl}${target}`,
      status: res.status,
      header: (name) => res.headers[name.toLowerCase()],
      text: res.text,
    });
  return res;
}

/** A request from header lines (`Name: value`), always with `Connection: close`. */
export function rawRequestText(
  method: string,
  path: string,
  headerLines: string[],
  body = '',
): string {
  const lines = [`${method} ${path} HTTP/1.1`, ...headerLines, 'Connection: close'];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function parseRaw(response: string): RawResponse {
  const split = response.indexOf('\r\n\r\n');
  const head = split < 0 ? response : response.slice(0, split);
  let text = split < 0 ? '' : response.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') text = dechunk(text);
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text, body };
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 4 + size);
  }
}
