// What every TAXII use case receives: configuration, the store and the per-request helpers.
// Built once by the HTTP app factory (or a CLI command); no express, no process state.
import type { Config } from '../config/types.js';
import type { Micros, Store } from '../store/types.js';
import type { ObjectWriteCounts } from '../observability/metrics.js';
import type { ChangeRecorder } from './changes.js';
import type { CursorCodec } from './cursor.js';
import type { ReadViewProvider } from './read-view.js';

/** Structural copy of the `StixValidator` contract of src/stix/validate.ts. */
export interface ObjectValidator {
  validateObject(
    obj: unknown,
    options: { mode: 'strict' | 'permissive' },
  ): { ok: true } | { ok: false; errors: { code: string; path: string; message: string }[] };
}

export interface TaxiiDeps {
  config: Readonly<Config>;
  store: Store;
  validator: ObjectValidator;
  cursors: CursorCodec;
  readViews: ReadViewProvider;
  /** Current time in microseconds. */
  now(): Micros;
  /** Fresh status resource id (UUIDv4). */
  newStatusId(): string;
  /** Audits state changes (never throws). */
  recordChange: ChangeRecorder;
  /** Counts written and refused objects (metrics); absent → not counted. */
  countWrites?: (counts: ObjectWriteCounts) => void;
}

/** A TAXII response body plus the date_added range it covers (for X-TAXII-Date-Added-*). */
export interface TaxiiBody {
  /** The body as a string, or as UTF-8 chunks sent one after the other (pages of stored bytes). */
  json: string | Buffer[];
  /** Absent on an empty page: stixgate sends no X-TAXII-Date-Added-* then. */
  dateAddedFirst?: Micros;
  dateAddedLast?: Micros;
}

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
