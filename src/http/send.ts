// Writes TAXII responses: the exact media type, the body bytes as built by taxii/, and the
// X-TAXII-Date-Added-First/Last headers (TAXII 2.1 §3.2) when the page is not empty.
import type { Response } from 'express';
import { formatTaxiiTimestamp } from '../stix/timestamp.js';
import type { TaxiiBody } from '../taxii/deps.js';
import { TAXII_MEDIA_TYPE } from './media-type.js';

export function sendTaxii(res: Response, status: number, body: string | TaxiiBody): void {
  const payload = typeof body === 'string' ? { json: body } : body;
  if (payload.dateAddedFirst !== undefined && payload.dateAddedLast !== undefined) {
    res.setHeader('X-TAXII-Date-Added-First', formatTaxiiTimestamp(payload.dateAddedFirst));
    res.setHeader('X-TAXII-Date-Added-Last', formatTaxiiTimestamp(payload.dateAddedLast));
  }
  // setHeader, not res.type(): express would append a charset parameter.
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.status(status);
  if (typeof payload.json === 'string') {
    res.end(payload.json);
    return;
  }
  // Chunks go out as they are (one writev): no copy of a page's stored bytes into one buffer.
  let length = 0;
  for (const chunk of payload.json) length += chunk.length;
  res.setHeader('Content-Length', length);
  res.cork();
  for (const chunk of payload.json) res.write(chunk);
  res.end();
  res.uncork();
}
