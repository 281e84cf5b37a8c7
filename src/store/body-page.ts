// Building and cutting BodyPages (types.ts): the stored bytes of a page joined once, with the
// offsets that let a reader keep a prefix of it without copying. Pure; shared by both backends
// and by the TAXII paging rules.
import type { BodyPage, Micros } from './types.js';

const COMMA = 0x2c;

/** A page of no records. */
export function emptyBodyPage(more = false): BodyPage {
  return { positions: [], body: Buffer.alloc(0), ends: [], more };
}

type Joinable = { dateAdded: Micros; json: string };

// Pages served again from a cache hand over the same frozen records each time: their joined
// bytes are kept beside the first record (and go with it), so a repeated page copies nothing.
// Keyed by identity of immutable records, it is a pure function of its input.
const joinedAfter = new WeakMap<object, { records: readonly Joinable[]; page: BodyPage }>();

function sameFrozenRecords(a: readonly Joinable[], b: readonly Joinable[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A BodyPage of records that are already in ascending date_added order. */
export function bodyPageOf(records: readonly Joinable[], more: boolean): BodyPage {
  const first = records[0];
  if (first !== undefined && Object.isFrozen(first)) {
    const known = joinedAfter.get(first);
    if (known !== undefined && sameFrozenRecords(known.records, records))
      return { ...known.page, more };
  }
  const page = joinRecords(records, more);
  if (first !== undefined && records.every((r) => Object.isFrozen(r))) {
    Object.freeze(page.positions);
    Object.freeze(page.ends);
    joinedAfter.set(first, { records: [...records], page: { ...page } });
  }
  return page;
}

function joinRecords(records: readonly Joinable[], more: boolean): BodyPage {
  const lengths = records.map((r) => Buffer.byteLength(r.json));
  const total = lengths.reduce((sum, n) => sum + n, 0) + Math.max(0, records.length - 1);
  const body = Buffer.allocUnsafe(total);
  const ends: number[] = [];
  let offset = 0;
  for (const [i, record] of records.entries()) {
    if (i > 0) body[offset++] = COMMA;
    offset += body.write(record.json, offset, 'utf8');
    ends.push(offset);
  }
  return { positions: records.map((r) => r.dateAdded), body, ends, more };
}

/**
 * A BodyPage from one aggregate row of a SQL walk: the comma-separated positions and byte
 * lengths, and the bodies joined by commas, all in the order the walk visited the rows. That
 * order is the index order of the walk, but SQL does not promise it for an aggregate, so it is
 * checked here and the records reordered when it differs: a page is never served out of order.
 */
export function bodyPageFromAggregate(
  positionsCsv: string | null,
  lengthsCsv: string | null,
  joined: Buffer | null,
  more: boolean,
): BodyPage {
  if (positionsCsv === null || lengthsCsv === null || joined === null) return emptyBodyPage(more);
  const positions = positionsCsv.split(',').map(Number);
  const lengths = lengthsCsv.split(',').map(Number);
  const ends: number[] = [];
  let offset = -1;
  for (const length of lengths) {
    offset += 1 + length;
    ends.push(offset);
  }
  if (positions.length !== lengths.length || offset !== joined.length)
    throw new Error('aggregate page: positions, lengths and bytes disagree');
  let ascending = true;
  for (let i = 1; i < positions.length && ascending; i++)
    ascending = positions[i - 1]! < positions[i]!;
  const page: BodyPage = { positions, body: joined, ends, more };
  return ascending ? page : reorder(page);
}

function recordBytes(page: BodyPage, i: number): Buffer {
  return page.body.subarray(i === 0 ? 0 : page.ends[i - 1]! + 1, page.ends[i]);
}

function reorder(page: BodyPage): BodyPage {
  const order = page.positions
    .map((_, i) => i)
    .sort((a, b) => page.positions[a]! - page.positions[b]!);
  const parts: Buffer[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const [k, i] of order.entries()) {
    if (k > 0) {
      parts.push(Buffer.of(COMMA));
      offset += 1;
    }
    const bytes = recordBytes(page, i);
    parts.push(bytes);
    offset += bytes.length;
    ends.push(offset);
  }
  return {
    positions: order.map((i) => page.positions[i]!),
    body: Buffer.concat(parts),
    ends,
    more: page.more,
  };
}

/** The first `count` records of a page (no copy); `more` as given. */
export function takeBodies(page: BodyPage, count: number, more: boolean): BodyPage {
  if (count >= page.positions.length) return { ...page, more };
  return {
    positions: page.positions.slice(0, count),
    body: page.body.subarray(0, count === 0 ? 0 : page.ends[count - 1]),
    ends: page.ends.slice(0, count),
    more,
  };
}
