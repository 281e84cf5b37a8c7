// What the engine needs that is built once and passed in, as structural interfaces: the text
// scanner over the registry (redaction/, see toolkit.ts) and the compiled STIX validator
// (stix/validate.ts). Both are pure; building them is what is expensive.

/** A protected span found in a string, in offsets of the ORIGINAL string (UTF-16 units). */
export interface TextHit {
  start: number;
  end: number;
  /** What was found: `entity`, `domain`, `email`, `ip`, `url`, `phone`, `national-id`, `asn`, `postal-code`, `encoded`, `opaque`. */
  kind: string;
  /** The registry entity the span belongs to, when it is one (its pseudonym label replaces the span). */
  entityId?: string;
}

/**
 * Finds protected spans: registry terms in any spelling, and detector hits (emails, URLs,
 * IPs, hostnames) only when they fall inside the registry; phone numbers and national ids
 * always. Attacker values must produce no hit.
 */
export interface ScanOptions {
  /** A digest (`hashes` value): random-looking blobs are expected there, not reported as opaque. */
  allowOpaque?: boolean;
}

export interface TextScanner {
  scan(text: string, options?: ScanOptions): TextHit[];
  /** R13: true when any string of this serialized JSON (keys included, escapes decoded) has a hit. */
  containsProtected(json: string): boolean;
}

export type ValidationOutcome =
  { ok: true } | { ok: false; errors: { code: string; path: string; message: string }[] };

export interface ObjectValidator {
  validateObject(obj: unknown, options: { mode: 'strict' | 'permissive' }): ValidationOutcome;
}

export interface SharingTools {
  scanner: TextScanner;
  validator: ObjectValidator;
}
