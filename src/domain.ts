// The domain's shared vocabulary: who may do what with which collection. A leaf, like errors.ts:
// config/, auth/, the store and the TAXII layer all speak it, and it imports nothing.

/** Integer microseconds since the Unix epoch, for server clocks (exact in a JS number until the year 2255; object versions are exact keys, stix/timestamp.ts VersionKey). */
export type Micros = number;

export type Role = 'admin' | 'analyst' | 'partner';

/** Who may read or write a collection: any listed role, or any member of a listed partner group. */
export interface AccessList {
  roles: Role[];
  groups: string[];
}

/** TLP level of a stored object version, computed at ingest from object_marking_refs (R2). */
export type TlpCode = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red' | 'none' | 'unknown';

export type ValidationMode = 'strict' | 'permissive';

export interface CollectionRecord {
  /** UUID, unique per server. */
  id: string;
  /** API root path segment, e.g. `api1`. */
  apiRoot: string;
  title: string;
  description?: string;
  /** Unique per API root (TAXII 2.1 §5.2). */
  alias?: string;
  read: AccessList;
  write: AccessList;
  validation: ValidationMode;
  /** TLP taken by unmarked objects when shared (R2). */
  defaultTlp: Exclude<TlpCode, 'none' | 'unknown'>;
  /**
   * What partners see instead of title/description (R12). Absent → a generic "Shared
   * collection": internal titles often name the incident, so they never fall through.
   */
  partnerTitle?: string;
  partnerDescription?: string;
  /** Creation time; collections list in (createdAt, id) order, which is stable (TAXII §5.1 M). */
  createdAt: Micros;
}
