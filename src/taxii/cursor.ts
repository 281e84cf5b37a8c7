// Stateless `next` cursors (TAXII 2.1 §3.4, App. B): a date_added position bound to the
// query and the caller, sealed with a server secret shared by every instance. The position
// is encrypted and authenticated (AES-256-GCM, key derived from the secret with HMAC-SHA256),
// so a cursor neither reveals the date_added of objects the caller cannot see nor can be
// forged. A tampered cursor, one minted for another query, collection, caller or deployment
// is a 400; handlers re-check authorization on every use regardless.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { InvalidFilterError } from '../errors.js';
import type { Micros } from '../store/types.js';

/** What a cursor is valid for. */
export interface CursorScope {
  /** Endpoint and target, e.g. `objects`, `manifest`, `object:<id>`, `versions:<id>`. */
  resource: string;
  collectionId: string;
  /** normalizeFilter(filter) */
  filter: string;
  /** Principal subject. */
  subject: string;
}

export interface CursorCodec {
  encode(position: Micros, scope: CursorScope): string;
  /** The position to read after; throws InvalidFilterError('next', …) unless issued for this scope. */
  decode(token: string, scope: CursorScope): Micros;
}

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const POSITION_BYTES = 8;

export function createCursorCodec(secret: Buffer): CursorCodec {
  if (secret.length < 32) throw new RangeError('cursor secret must be at least 32 bytes');
  const key = createHmac('sha256', secret).update('stixgate next-cursor v1').digest();
  // The scope is authenticated data: the same bytes under another scope fail the GCM tag.
  const aad = (scope: CursorScope): Buffer =>
    createHash('sha256')
      .update(
        JSON.stringify([FORMAT, scope.resource, scope.collectionId, scope.filter, scope.subject]),
      )
      .digest();
  const reject = (): never => {
    throw new InvalidFilterError('next', 'not a valid cursor for this query');
  };

  // Both directions are pure functions of their inputs under one key, and clients page and poll
  // the same positions over and over: remembered, a repeated page seals and opens nothing. A
  // cursor handed out twice is the same token, which tells its holder nothing it did not know.
  const sealedFor = boundedMemo<string>(CURSOR_MEMO_ENTRIES);
  const openedFor = boundedMemo<Micros>(CURSOR_MEMO_ENTRIES);
  const scopeKey = (scope: CursorScope): string =>
    JSON.stringify([scope.resource, scope.collectionId, scope.filter, scope.subject]);

  return {
    encode(position, scope) {
      if (!Number.isSafeInteger(position) || position < 0)
        throw new RangeError('cursor position must be a non-negative integer');
      const memoKey = `${position} ${scopeKey(scope)}`;
      const known = sealedFor.get(memoKey);
      if (known !== undefined) return known;
      const token = seal(position, scope);
      sealedFor.set(memoKey, token);
      return token;
    },
    decode(token, scope) {
      const memoKey = `${token} ${scopeKey(scope)}`;
      const known = openedFor.get(memoKey);
      if (known !== undefined) return known;
      const position = open(token, scope);
      openedFor.set(memoKey, position);
      return position;
    },
  };

  function seal(position: Micros, scope: CursorScope): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(scope));
    const plain = Buffer.alloc(POSITION_BYTES);
    plain.writeBigUInt64BE(BigInt(position));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), iv, sealed, cipher.getAuthTag()]).toString(
      'base64url',
    );
  }

  function open(token: string, scope: CursorScope): Micros {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return reject();
    const bytes = Buffer.from(token, 'base64url');
    // Canonical encoding only: otherwise unused low bits of the last character could vary.
    if (
      bytes.length !== 1 + IV_BYTES + POSITION_BYTES + TAG_BYTES ||
      bytes[0] !== FORMAT ||
      bytes.toString('base64url') !== token
    )
      return reject();
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const sealed = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + POSITION_BYTES);
    const tag = bytes.subarray(1 + IV_BYTES + POSITION_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(scope));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      return reject();
    }
    const position = plain.readBigUInt64BE();
    if (position > BigInt(Number.MAX_SAFE_INTEGER)) return reject();
    return Number(position);
  }
}

/** Cursors remembered each way per codec (a few hundred bytes each). */
const CURSOR_MEMO_ENTRIES = 4096;

/** A map that forgets its oldest entry once full; only successful results are stored. */
function boundedMemo<V>(capacity: number): {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
} {
  const entries = new Map<string, V>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
    },
  };
}
