// date_added for several stixgate instances writing one collection at once, with no in-process
// counter as the source of truth.
//
// Each collection document carries `lastAdded` (the high-water mark) and `pending` (the blocks of
// in-flight writes), guarded by `clockRev`; every change is a compare-and-set on that one
// document, so it is atomic on any MongoDB (no transactions, no $push/$pull/$max needed).
//
// - A writer reserves n values from `max(now, lastAdded + 1)` on and records the block in `pending`
//   in the same update; it inserts its objects and then releases the block. A date_added block
//   ends on a whole millisecond (date-added-block.ts), so it may start a little later.
// - A reader reads the document first and only returns date_added ≤ the *visibility horizon*:
//   just below the first pending block, else lastAdded. Everything at or below the horizon
//   was fully written before the reader looked, and no later write can land there (blocks only
//   move forward), so a reader paging by date_added never skips an object whose write commits
//   after a later one.
// The same clock hands out audit seq values (the `audit` document of `counters`), so that an
// auditor paging with afterSeq never skips a record either.
//
// - A writer that dies leaves its block pending; after `reservationTtlMs` a reader removes it
//   (again by compare-and-set). A writer that was only slow notices on release that its block
//   is gone, and moves its objects to a fresh block (re-stamps them), so a reader may see them
//   twice but never misses them.
import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { dateAddedBlock } from '../date-added-block.js';
import { ContentionError } from './mongo-errors.js';
import type { ClockDoc, CollectionDoc, Reservation } from './schema.js';

export interface ClockOptions {
  /** How long an unreleased block holds readers back before it is presumed dead. */
  reservationTtlMs: number;
  /** Wall clock in milliseconds, for reservation expiry only. */
  wallClock: () => number;
  /**
   * Blocks end on a whole millisecond of microseconds (date_added, see date-added-block.ts);
   * false for plain counters (audit seq).
   */
  endOnMillisecond?: boolean;
  /** Names this instance's reservations. */
  owner?: string;
  /**
   * Called for a reservation presumed dead before it is discarded; the block is only dropped
   * once this has succeeded, so a crash in between leaves it to the next sweep.
   */
  onAbandoned?: (clockId: string, reservation: Reservation) => Promise<void>;
}

/** Number of compare-and-set attempts before giving up (only reached under pathological load). */
const maxAttempts = 1_000;

export class DateAddedClock {
  private readonly collections: Collection<ClockDoc>;

  /** `documents`: collections (date_added) or counters (audit seq). */
  constructor(
    documents: Collection<CollectionDoc> | Collection<ClockDoc>,
    private readonly options: ClockOptions,
  ) {
    // Only the clock fields are read or written here; both document types carry them.
    this.collections = documents as unknown as Collection<ClockDoc>;
  }

  /** Reserves `count` consecutive date_added values; undefined when the collection does not exist. */
  async reserve(
    collectionId: string,
    count: number,
    now: number,
  ): Promise<Reservation | undefined> {
    const token = randomUUID();
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const doc = await this.collections.findOne({ _id: collectionId });
      if (doc === null) return undefined;
      const last = doc.lastAdded ?? null;
      const first = last === null ? now : Math.max(now, last + 1);
      const { start, end } =
        this.options.endOnMillisecond === true
          ? dateAddedBlock(last, now, count)
          : { start: first, end: first + count - 1 };
      const reservation: Reservation = {
        token,
        start,
        end,
        expiresAt: this.options.wallClock() + this.options.reservationTtlMs,
        ...(this.options.owner !== undefined && { owner: this.options.owner }),
      };
      const updated = await this.collections.updateOne(
        { _id: collectionId, clockRev: doc.clockRev ?? 0 },
        {
          $set: {
            lastAdded: reservation.end,
            pending: [...(doc.pending ?? []), reservation],
            clockRev: (doc.clockRev ?? 0) + 1,
          },
        },
      );
      if (updated.matchedCount === 1) return reservation;
      await backOff(attempt);
    }
    throw new ContentionError('could not reserve date_added values: too much contention');
  }

  /**
   * Ends a reservation. False when it was no longer pending (a reader presumed the writer dead
   * and discarded it) or the collection is gone: the caller must then re-stamp its objects.
   */
  async release(collectionId: string, token: string): Promise<boolean> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const doc = await this.collections.findOne({ _id: collectionId });
      if (doc === null) return false;
      const pending = doc.pending ?? [];
      if (!pending.some((entry) => entry.token === token)) return false;
      const updated = await this.collections.updateOne(
        { _id: collectionId, clockRev: doc.clockRev ?? 0 },
        {
          $set: {
            pending: pending.filter((entry) => entry.token !== token),
            clockRev: (doc.clockRev ?? 0) + 1,
          },
        },
      );
      if (updated.matchedCount === 1) return true;
      await backOff(attempt);
    }
    throw new ContentionError('could not release a date_added reservation: too much contention');
  }

  /**
   * Raises the high-water mark to at least `value` (after an import of stored versions); false
   * when the collection does not exist.
   */
  async raise(collectionId: string, value: number): Promise<boolean> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const doc = await this.collections.findOne({ _id: collectionId });
      if (doc === null) return false;
      if (doc.lastAdded !== null && doc.lastAdded >= value) return true;
      const updated = await this.collections.updateOne(
        { _id: collectionId, clockRev: doc.clockRev ?? 0 },
        { $set: { lastAdded: value, clockRev: (doc.clockRev ?? 0) + 1 } },
      );
      if (updated.matchedCount === 1) return true;
      await backOff(attempt);
    }
    throw new ContentionError(
      'could not raise the date_added high-water mark: too much contention',
    );
  }

  /**
   * The largest date_added a reader may return now (null: nothing yet), or undefined when the
   * collection does not exist. Discards expired reservations first.
   */
  async horizon(collectionId: string): Promise<number | null | undefined> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const doc = await this.collections.findOne({ _id: collectionId });
      if (doc === null) return undefined;
      const pending = doc.pending ?? [];
      const wallNow = this.options.wallClock();
      const live = pending.filter((entry) => entry.expiresAt > wallNow);
      if (live.length === pending.length) {
        if (pending.length === 0) return doc.lastAdded ?? null;
        return Math.min(...pending.map((entry) => entry.start)) - 1;
      }
      // Only a document without the expired blocks may be used: their writers, if alive, find
      // them gone on release and re-stamp (see the module comment).
      await this.discard(collectionId, (entry) => entry.expiresAt <= wallNow);
      if (attempt > 0) await backOff(attempt);
    }
    throw new ContentionError('could not read the visibility horizon: too much contention');
  }

  /**
   * Repairs, then removes, the pending reservations `abandoned` selects. Returns how many were
   * removed. Entries another process removed meanwhile are not repaired twice.
   */
  async discard(clockId: string, abandoned: (entry: Reservation) => boolean): Promise<number> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const doc = await this.collections.findOne({ _id: clockId });
      if (doc === null) return 0;
      const pending = doc.pending ?? [];
      const dead = pending.filter(abandoned);
      if (dead.length === 0) return 0;
      for (const entry of dead) await this.options.onAbandoned?.(clockId, entry);
      const updated = await this.collections.updateOne(
        { _id: clockId, clockRev: doc.clockRev ?? 0 },
        {
          $set: {
            pending: pending.filter((entry) => !dead.includes(entry)),
            clockRev: (doc.clockRev ?? 0) + 1,
          },
        },
      );
      if (updated.matchedCount === 1) return dead.length;
      await backOff(attempt);
    }
    throw new ContentionError('could not discard abandoned reservations: too much contention');
  }

  /**
   * Discards, on every clock document, the reservations that expired and, when `ownAlso`, those
   * this instance (`owner`) made: at start-up none of them can still be in flight.
   */
  async sweep(ownAlso: boolean): Promise<number> {
    const wallNow = this.options.wallClock();
    const owner = this.options.owner;
    const abandoned = (entry: Reservation): boolean =>
      entry.expiresAt <= wallNow || (ownAlso && owner !== undefined && entry.owner === owner);
    let discarded = 0;
    // Few documents (one per collection): filtered here rather than with an array operator.
    for await (const doc of this.collections.find({})) {
      if ((doc.pending ?? []).some(abandoned)) discarded += await this.discard(doc._id, abandoned);
    }
    return discarded;
  }
}

async function backOff(attempt: number): Promise<void> {
  // Randomised so that competing instances stop retrying in lock step.
  const ms = Math.min(50, attempt) * Math.random();
  if (ms < 1) return;
  await new Promise((resolve) => setTimeout(resolve, ms));
}
