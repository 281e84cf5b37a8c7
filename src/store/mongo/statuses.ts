// Status resources in MongoDB. A status lists every object of its request, so one envelope of
// a few hundred thousand objects (all within max_content_length) can serialize past MongoDB's
// 16 MiB document limit. The record text is therefore split into parts: the first stays in the
// status document, the rest go to `status_parts`, written before the status document that
// names how many there are, so a reader never assembles a half-written record.
import type { Collection, Db } from 'mongodb';
import type { Micros, StatusRecord } from '../types.js';
import { collectionNames, type StatusDoc, type StatusPartDoc } from './schema.js';

/** Characters per part: at most 4 bytes each in UTF-8, so a part stays well under 16 MiB. */
export const STATUS_PART_CHARS = 2 * 1024 * 1024;

export function splitRecordText(text: string, partChars = STATUS_PART_CHARS): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + partChars, text.length);
    // Never cut a surrogate pair: each part must be valid UTF-16 on its own for BSON.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts.length === 0 ? [''] : parts;
}

export class MongoStatuses {
  private readonly statuses: Collection<StatusDoc>;
  private readonly parts: Collection<StatusPartDoc>;

  constructor(
    db: Db,
    private readonly partChars = STATUS_PART_CHARS,
  ) {
    this.statuses = db.collection<StatusDoc>(collectionNames.statuses);
    this.parts = db.collection<StatusPartDoc>(collectionNames.statusParts);
  }

  async put(status: StatusRecord): Promise<void> {
    const [head = '', ...rest] = splitRecordText(JSON.stringify(status), this.partChars);
    for (const [i, text] of rest.entries()) {
      await this.parts.replaceOne(
        { _id: `${status.id}#${i + 1}` },
        { statusId: status.id, n: i + 1, updatedAt: status.updatedAt, text },
        { upsert: true },
      );
    }
    await this.statuses.replaceOne(
      { _id: status.id },
      { apiRoot: status.apiRoot, updatedAt: status.updatedAt, record: head, parts: rest.length },
      { upsert: true },
    );
    // A replaced status with fewer parts leaves none of the old ones behind.
    await this.parts.deleteMany({ statusId: status.id, n: { $gt: rest.length } });
  }

  async get(apiRoot: string, id: string): Promise<StatusRecord | undefined> {
    const doc = await this.statuses.findOne({ _id: id, apiRoot });
    return doc === null ? undefined : this.assemble(doc);
  }

  /** Statuses in id order after `afterId` (for migrate). */
  async list(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    const filter = afterId === undefined ? {} : { _id: { $gt: afterId } };
    const docs = await this.statuses.find(filter).sort({ _id: 1 }).limit(limit).toArray();
    const records: StatusRecord[] = [];
    for (const doc of docs) records.push(await this.assemble(doc));
    return records;
  }

  async purge(updatedBefore: Micros): Promise<number> {
    const deleted = (await this.statuses.deleteMany({ updatedAt: { $lt: updatedBefore } }))
      .deletedCount;
    await this.parts.deleteMany({ updatedAt: { $lt: updatedBefore } });
    return deleted;
  }

  private async assemble(doc: StatusDoc): Promise<StatusRecord> {
    const count = doc.parts ?? 0;
    if (count === 0) return JSON.parse(doc.record) as StatusRecord;
    const parts = await this.parts
      .find({ statusId: doc._id, n: { $lte: count } })
      .sort({ n: 1 })
      .toArray();
    if (parts.length !== count)
      throw new Error(`status ${doc._id}: ${parts.length} of ${count} parts present`);
    return JSON.parse(doc.record + parts.map((p) => p.text).join('')) as StatusRecord;
  }
}
