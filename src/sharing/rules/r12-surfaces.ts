// R12 TAXII surfaces: derived objects keep `id` (unless pseudonymized, R4) and `modified`;
// every version, older ones included, is derived exactly like the latest, so a versions or
// manifest listing is built from derive() output and never from raw records. This module
// holds the pieces the TAXII layer needs for that.
import { versionOf } from '../../stix/object-version.js';

/** Manifest entry fields of a derived object (TAXII 2.1 §5.3), from its derived bytes' object. */
export function manifestVersion(derived: unknown): string | undefined {
  if (typeof derived !== 'object' || derived === null) return undefined;
  const o = derived as Record<string, unknown>;
  const v = o.modified ?? o.created;
  return typeof v === 'string' && versionOf(derived) !== null ? v : undefined;
}

/** Partners see the collection's partner-facing title/description, never the internal ones. */
export function partnerCollectionText(collection: {
  title: string;
  description?: string;
  partnerTitle?: string;
  partnerDescription?: string;
}): { title: string; description?: string } {
  const title = collection.partnerTitle ?? 'Shared collection';
  return collection.partnerDescription === undefined
    ? { title }
    : { title, description: collection.partnerDescription };
}
