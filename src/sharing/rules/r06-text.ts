// R6 Text: every string value of the object (nested objects, extensions, external references,
// language-content translations, dictionary keys) is scanned for protected spans (registry
// terms in any spelling, protected addresses, phone numbers, national ids) and each hit is
// replaced by its entity's pseudonym label or `[REDACTED:kind]`. Ids, references, timestamps
// and hashes are not text; STIX patterns are handled by R7; binary payloads cannot be
// scanned and are dropped. Every decoded form of a string is scanned too (see
// redaction/decode-forms.ts): an encoded span with a hit is redacted whole, and a long blob
// that decodes to no text is removed and reported (values of `hashes` are digests, exempt).
import { entityLabel } from '../pseudonym.js';
import type { TextHit } from '../ports.js';
import { isStixTimestamp } from '../../stix/timestamp.js';
import { TIMESTAMP_PROPERTIES, isScoType, knownProperties } from '../stix-properties.js';
import { Withhold, formatPath, isObject, type Env, type PathToken, type Work } from '../work.js';

const NOT_TEXT = new Set(['id', 'type', 'spec_version']);

const ID = /^[a-z0-9-]+--[0-9a-fA-F-]{36}$/;

function isIdValue(value: unknown): boolean {
  if (typeof value === 'string') return ID.test(value);
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && ID.test(v));
}

function isReferenceKey(key: string): boolean {
  return key.endsWith('_ref') || key.endsWith('_refs');
}

/** Replaces hit spans (merged when they overlap) in `text`. */
export function redactSpans(
  text: string,
  hits: readonly TextHit[],
  replacement: (hit: TextHit) => string,
): string {
  const sorted = [...hits]
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  let last: TextHit | undefined;
  for (const hit of sorted) {
    if (last !== undefined && hit.start < cursor) {
      if (hit.end > cursor) cursor = hit.end;
      continue;
    }
    out += text.slice(cursor, hit.start) + replacement(hit);
    cursor = hit.end;
    last = hit;
  }
  return out + text.slice(cursor);
}

export function redactText(
  text: string,
  env: Env,
  urlSafe = false,
  digest = false,
): { text: string; changed: boolean; opaque: boolean } {
  const hits = env.tools.scanner.scan(text, { allowOpaque: digest });
  if (hits.length === 0) return { text, changed: false, opaque: false };
  const replaced = redactSpans(text, hits, (hit) => {
    if (hit.entityId !== undefined && env.index.entityById.has(hit.entityId))
      return entityLabel(env.key, hit.entityId);
    return urlSafe ? `REDACTED-${hit.kind}` : `[REDACTED:${hit.kind}]`;
  });
  return { text: replaced, changed: true, opaque: hits.some((h) => h.kind === 'opaque') };
}

export function applyText(work: Work, env: Env): void {
  if (work.obj.payload_bin !== undefined) work.drop('R6', ['payload_bin']);
  let touched = false;
  const known = knownProperties(work.type);
  const visit = (node: unknown, path: PathToken[]): unknown => {
    if (typeof node === 'string') {
      const urlSafe = work.type === 'url' && path.length === 1 && path[0] === 'value';
      const digest = path.length >= 2 && path[path.length - 2] === 'hashes';
      const { text, changed, opaque } = redactText(node, env, urlSafe, digest);
      if (changed) {
        // An opaque blob is removed, not redacted: it is reported as a removal (fail closed).
        if (opaque) work.hit('R6', formatPath(path), 'D', 'opaque content removed');
        else work.hit('R6', formatPath(path), 'R');
        touched = true;
      }
      return text;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = visit(node[i], [...path, i]);
      return node;
    }
    if (isObject(node)) {
      for (const key of Object.keys(node)) {
        const top = path.length === 0;
        const value = node[key];
        if (top && NOT_TEXT.has(key)) continue;
        // Ids, references and timestamps are not text (R10 checks references; a value that
        // is not what its name says is scanned like any other string).
        if (isReferenceKey(key) && isIdValue(value)) continue;
        if (TIMESTAMP_PROPERTIES.has(key) && isStixTimestamp(value)) continue;
        if (top && key === 'pattern' && work.type === 'indicator') {
          // R7 already removed or refused protected comparisons; anything left (a custom
          // object path, say) cannot be cut out of a pattern safely.
          if (typeof value === 'string' && env.tools.scanner.scan(value).length > 0) {
            throw new Withhold('R6', 'protected term in pattern');
          }
          continue;
        }
        // Property names STIX defines are not text; dictionary keys and custom names are.
        if (!(top && known?.has(key)) && env.tools.scanner.scan(key).length > 0) {
          // A dictionary key cannot be rewritten without changing its meaning: drop the entry.
          work.drop('R6', [...path, key]);
          touched = true;
          continue;
        }
        node[key] = visit(value, [...path, key]);
      }
      return node;
    }
    return node;
  };
  visit(work.obj, []);
  // R4: an SCO id is derived from its values; once they changed it must not stay reversible.
  if (touched && isScoType(work.type) && !work.pseudonymizeId) {
    work.pseudonymizeId = true;
    work.hit('R4', 'id', 'P');
  }
}
