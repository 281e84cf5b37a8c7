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
  res.status(status).end(payload.json);
}
