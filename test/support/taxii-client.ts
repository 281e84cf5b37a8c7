// A thin fetch wrapper speaking TAXII 2.1 over real HTTP (no framework test client). Every
// response is checked against TAXII 2.1 (taxii-conformance.ts) before the test sees it.
import { checkTaxiiResponse, fromHeaders } from './taxii-conformance.js';

export const TAXII = 'application/taxii+json;version=2.1';

export interface TaxiiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when the body is empty. */
  body: unknown;
}

export interface RequestOptions {
  token?: string | undefined;
  /** Overrides the TAXII Accept header; `null` sends none. */
  accept?: string | null;
  contentType?: string | null;
  headers?: Record<string, string>;
  query?: string;
}

export async function taxiiRequest(
  method: string,
  url: string,
  body: unknown,
  options: RequestOptions = {},
): Promise<TaxiiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.accept !== null) headers.Accept = options.accept ?? TAXII;
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? TAXII;
  }
  const target = options.query === undefined ? url : `${url}?${options.query}`;
  const response = await fetch(target, {
    method,
    headers,
    ...(payload !== undefined && { body: payload }),
  });
  const text = await response.text();
  checkTaxiiResponse({
    method,
    url: target,
    status: response.status,
    header: fromHeaders(response.headers),
    text,
  });
  let parsed: unknown;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A client bound to a server URL and a token. Paths are relative to the server root. */
export class TaxiiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  get(path: string, options: RequestOptions = {}): Promise<TaxiiResponse> {
    return taxiiRequest('GET', this.url(path), undefined, { token: this.token, ...options });
  }

  post(path: string, body: unknown, options: RequestOptions = {}): Promise<TaxiiResponse> {
    return taxiiRequest('POST', this.url(path), body, { token: this.token, ...options });
  }

  delete(path: string, options: RequestOptions = {}): Promise<TaxiiResponse> {
    return taxiiRequest('DELETE', this.url(path), undefined, { token: this.token, ...options });
  }

  withToken(token: string | undefined): TaxiiClient {
    return new TaxiiClient(this.baseUrl, token);
  }
}
