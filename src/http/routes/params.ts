// Route helpers: the raw query string (parsed by our own parser, never req.query) and params.
import type { Request } from 'express';
import { ENDPOINT_PARAMS, parseFilter } from '../../taxii/filter.js';
import { parseTaxiiQuery } from '../query.js';

export function queryOf(req: Request): Map<string, string> {
  const url = req.originalUrl;
  const at = url.indexOf('?');
  return parseTaxiiQuery(at === -1 ? '' : url.slice(at + 1));
}

/** Endpoints without filters still reject a query they do not understand. */
export function rejectQuery(req: Request): void {
  parseFilter(queryOf(req), ENDPOINT_PARAMS.none);
}

export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name];
  return value ?? '';
}
