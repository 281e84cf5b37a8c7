// The seam for partner reads. Every object read (objects, object, versions, manifest) goes
// through a ReadView chosen per principal and collection. Analysts and admins get the raw
// view; partners get the view of src/partner/view.ts, which main.ts passes to
// `createApp({ partnerReadView })`. Without one, partners get a fail-closed view that serves
// nothing: nothing raw ever leaves.
import { readsRaw } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { CollectionRecord, Micros, ObjectRecord, Visibility } from '../store/types.js';

export interface ReadContext {
  principal: Principal;
  collection: CollectionRecord;
  apiRoot: string;
  /** Request time (for audit records); the view must not read a clock of its own. */
  now: Micros;
  /** Which surface is being served: the view may audit or shape differently per surface. */
  surface: 'objects' | 'object' | 'versions' | 'manifest';
  /**
   * The ids the request names (object and versions endpoints, match[id]), if any. A view that
   * serves objects under other ids (pseudonyms) must not answer a request for the original id
   * (no existence oracle).
   */
  ids?: readonly string[];
  /**
   * The collection's content revision (Store.collectionRevision), read before any record of the
   * request: what the view derives from this request's reads is at least that recent, so a view
   * may keep derived pages under it. Absent for the raw view.
   */
  revision?: string;
  /**
   * The last `lookAhead` records are followers of the page, derived only to learn whether
   * anything after it will be served: returned like the others, but not sent, so not audited.
   */
  lookAhead?: number;
}

export interface ReadView {
  /** Pushed down into the store query so that pages are full of what the caller may see. */
  visibility?: Visibility;
  /**
   * Turns one page of raw records (ascending date_added) into what the caller receives:
   * withheld records are dropped, `json` is replaced by the derived bytes, `id` by the served
   * id. Must keep `dateAdded` and order. Headers, `more` and manifest entries are computed
   * over the result (R12).
   */
  derive(records: ObjectRecord[], context: ReadContext): Promise<ObjectRecord[]>;
  /**
   * The stored ids to look up for ids a request names (object, versions, match[id]) when the
   * view serves objects under other ids (pseudonyms, R4). Default: the ids as named.
   */
  resolveIds?(ids: readonly string[]): Promise<string[]>;
}

/** Picks the view for a caller; called once per request after the collection access check. */
export type ReadViewProvider = (
  principal: Principal,
  collection: CollectionRecord,
) => ReadView | Promise<ReadView>;

export const RAW_VIEW: ReadView = {
  async derive(records) {
    return records;
  },
};

/** Serves nothing: an empty TLP allow-list makes the store return no records at all. */
export const WITHHOLD_ALL_VIEW: ReadView = {
  visibility: { tlp: [] },
  async derive() {
    return [];
  },
};

/** Raw for analysts and admins; `partnerView` (default: fail closed) for partners. */
export function createReadViewProvider(partnerView?: ReadViewProvider): ReadViewProvider {
  return (principal, collection) => {
    if (readsRaw(principal)) return RAW_VIEW;
    return partnerView ? partnerView(principal, collection) : WITHHOLD_ALL_VIEW;
  };
}
