// Validates STIX objects and stores the valid ones in one store call: the write path shared by
// TAXII POST (objects.ts) and `stixgate import`. Produces the status details of TAXII 2.1 §4.3.
import { canonicalJson } from '../stix/canonical-json.js';
import { jsonPointer, type InexactNumber } from '../stix/json-numbers.js';
import { versionOf } from '../stix/object-version.js';
import { versionKeyFromMicros } from '../stix/timestamp.js';
import { tlpOf } from '../stix/tlp.js';
import type { CollectionRecord, Micros, NewObject, StatusDetail, Store } from '../store/types.js';
import type { ObjectValidator } from './deps.js';

export interface IngestResult {
  successes: StatusDetail[];
  failures: StatusDetail[];
  /** What happened, for audit, metrics and `stixgate import` (ids of added versions, never content). */
  tally: IngestTally;
}

export interface IngestTally {
  addedIds: string[];
  duplicates: number;
  /** Refused objects by reason: `invalid_stix:<first error code>` or `conflict`. */
  rejected: Record<string, number>;
}

/**
 * Objects validated between two turns of the event loop. Validating an envelope of a thousand
 * objects takes hundreds of milliseconds on a busy machine; in slices, other requests (reads,
 * health checks, a keep-alive client's next request) are served meanwhile. Nothing is stored
 * until every object is validated, so a slice boundary changes no outcome.
 */
const VALIDATION_SLICE = 100;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `items` must each be a JSON object with a string `id` (the caller checks the envelope). */
export async function ingestObjects(
  store: Store,
  validator: ObjectValidator,
  collection: CollectionRecord,
  items: readonly Record<string, unknown>[],
  now: Micros,
  options: {
    maskExisting?: boolean;
    /** Items refused before validation, by index, with the status message. */
    refused?: ReadonlyMap<number, string>;
  } = {},
): Promise<IngestResult> {
  const failures: StatusDetail[] = [];
  const tally: IngestTally = { addedIds: [], duplicates: 0, rejected: {} };
  const reject = (reason: string) => (tally.rejected[reason] = (tally.rejected[reason] ?? 0) + 1);
  const candidates: NewObject[] = [];
  for (const [index, obj] of items.entries()) {
    if (index > 0 && index % VALIDATION_SLICE === 0) await yieldToEventLoop();
    const refusal = options.refused?.get(index);
    if (refusal !== undefined) {
      failures.push({ id: obj.id as string, version: rawVersion(obj), message: refusal });
      continue;
    }
    const result = validator.validateObject(obj, { mode: collection.validation });
    if (!result.ok) {
      reject(`invalid_stix:${result.errors[0]?.code ?? 'unknown'}`);
      const message = result.errors
        .slice(0, 5)
        .map((e) => `${e.path || '/'} ${e.code}: ${e.message}`)
        .join('; ');
      failures.push({
        id: obj.id as string,
        version: rawVersion(obj),
        message: `invalid STIX: ${message}`,
      });
      continue;
    }
    // The version key is computed here, before anything is stored: it is already the text the
    // status entry prints, so nothing after the commit can fail on it.
    candidates.push(toNewObject(obj));
  }

  const outcomes =
    candidates.length > 0 ? await store.addObjects(collection.id, candidates, now) : [];
  const successes: StatusDetail[] = [];
  for (const outcome of outcomes) {
    const version = outcome.version;
    if (outcome.outcome === 'added') {
      successes.push({ id: outcome.id, version });
      tally.addedIds.push(outcome.id);
    }
    // TAXII 2.1 §5.5: an exact duplicate is not an error.
    else if (outcome.outcome === 'duplicate') {
      tally.duplicates += 1;
      if (options.maskExisting) {
        // A partner must not learn that an object it cannot see exists (Principle 5): SCO ids
        // are computable (UUIDv5 of the value), so "duplicate" would answer "does the CERT hold
        // 10.20.3.4?". Report it like an addition: same shape, and for unversioned objects a
        // version on the next whole millisecond, as a fresh date_added block would end.
        const unversioned = outcome.version === versionKeyFromMicros(outcome.dateAdded);
        const masked = unversioned
          ? versionKeyFromMicros(Math.ceil(now / 1000) * 1000)
          : outcome.version;
        successes.push({ id: outcome.id, version: masked });
      } else {
        successes.push({
          id: outcome.id,
          version,
          message: 'duplicate of a stored version; nothing stored',
        });
      }
    } else {
      reject('conflict');
      failures.push({ id: outcome.id, version, message: `conflict: ${outcome.message}` });
    }
  }
  return { successes, failures, tally };
}

/**
 * The refusals (by item index, for ingestObjects' `refused`) of the items holding a number that
 * cannot be stored exactly (stix/json-numbers.ts): such an item is refused on its own, its
 * status entry says which number and why. `list` is the key of the item list in the document
 * (`objects` of an envelope or bundle), or null when the document is one object. A number
 * outside the items is never stored, so it changes nothing.
 */
export function numberRefusals(
  inexact: readonly InexactNumber[],
  list: string | null,
): Map<number, string> {
  const refused = new Map<number, string>();
  for (const number of inexact) {
    let index: string | number | undefined = 0;
    let inside = number.path;
    if (list !== null) {
      const [top, at, ...rest] = number.path;
      if (top !== list) continue;
      index = at;
      inside = rest;
    }
    if (typeof index !== 'number' || refused.has(index)) continue;
    refused.set(
      index,
      `number ${number.written} at ${jsonPointer(inside) || '/'} cannot be stored exactly (${number.reason}); send it as a string or with fewer digits`,
    );
  }
  return refused;
}

/**
 * The stored form of a validated object: its canonical JSON text is what readers receive, byte
 * for byte, and what duplicate detection compares.
 */
export function toNewObject(obj: Record<string, unknown>): NewObject {
  return {
    id: obj.id as string,
    type: typeof obj.type === 'string' ? obj.type : '',
    // STIX 2.1 §3.1: SCOs may omit spec_version; it then means 2.1.
    specVersion: typeof obj.spec_version === 'string' ? obj.spec_version : '2.1',
    version: versionOf(obj),
    tlp: tlpOf(obj),
    revoked: obj.revoked === true,
    json: canonicalJson(obj),
  };
}

function rawVersion(obj: Record<string, unknown>): string {
  // TAXII 2.1 §4.3.1: version is `modified`, else `created`.
  const value = obj.modified ?? obj.created;
  return typeof value === 'string' ? value : '';
}
