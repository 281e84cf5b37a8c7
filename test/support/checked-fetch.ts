// The TAXII 2.1 response check for requests TaxiiClient cannot make: raw fetch (odd paths and
// headers), node:https (TLS options), the curl binary. A violation throws in the test that
// made the request.
import type { IncomingMessage } from 'node:http';
import { checkTaxiiResponse, fromHeaderLines, fromHeaders } from './taxii-conformance.js';

const NO_BODY = new Set([101, 204, 205, 304]);

export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  const bytes = await res.arrayBuffer();
  checkTaxiiResponse({
    method: init.method ?? 'GET',
    url,
    status: res.status,
    header: fromHeaders(res.headers),
    text: new TextDecoder().decode(bytes),
  });
  return new Response(NO_BODY.has(res.status) ? null : bytes, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

/** Reads a node:http(s) response to the end and checks it like checkedFetch does. */
export async function checkedNodeResponse(
  method: string,
  url: string,
  res: IncomingMessage,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  checkTaxiiResponse({
    method,
    url,
    status: res.statusCode ?? 0,
    header: (name) => {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text,
  });
  return text;
}

/** Checks a curl result: `args` are curl's arguments (the method and URL are read from them). */
export function checkCurlResponse(
  args: readonly string[],
  result: { status: number; headers: string; body: string },
): void {
  const url = [...args].reverse().find((a) => /^https?:\/\//.test(a));
  if (url === undefined) return;
  const x = args.indexOf('-X');
  const sendsData = args.some((a) => /^(-d|--data.*|-T|--upload-file|-F|--form)$/.test(a));
  const get = args.includes('-G') || args.includes('--get');
  const method =
    x !== -1 ? args[x + 1]! : args.includes('-I') ? 'HEAD' : sendsData && !get ? 'POST' : 'GET';
  checkTaxiiResponse({
    method,
    url,
    status: result.status,
    header: fromHeaderLines(result.headers),
    text: result.body,
  });
}
