// The decoded forms of a text (decode-forms.ts) depend on the text alone: not on a policy,
// the registry or a key. Finding them is most of the cost of deriving an object for the first
// time (base64 that turns out not to be text is inflated to find out), so they are remembered
// across derivations, policy revisions included, within a bounded size. A result is shared:
// callers only read it.
import type { ExpandedForms } from './decode-forms.js';

/** Bytes the memo may hold, counted as the texts and offset maps it keeps. */
export const FORMS_MEMO_BYTES = 4 * 1024 * 1024;
/** Longer texts are decoded every time: one of them would push many others out. */
const MAX_MEMO_TEXT = 64 * 1024;

export interface FormsMemo {
  get(text: string, compute: () => ExpandedForms): ExpandedForms;
  /** Bytes currently held. */
  readonly size: number;
}

/**
 * What an entry costs the heap, calibrated on the benchmark corpus (heap growth over the size
 * counted, measured with a forced GC): the key and its map entry, the result object and its
 * arrays, and per form its text (2 bytes a unit), two Int32Array offset maps (8 bytes a unit)
 * and their buffers.
 */
function sizeOf(text: string, result: ExpandedForms): number {
  let bytes = 2 * text.length + 48 * result.opaque.length + 320;
  for (const form of result.forms) bytes += 10 * form.text.length + 400;
  return bytes;
}

export function createFormsMemo(maxBytes = FORMS_MEMO_BYTES): FormsMemo {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least
  // recently used one.
  const entries = new Map<string, { result: ExpandedForms; bytes: number }>();
  // A live iterator over the keys: everything it has passed was evicted, so its next key is
  // the oldest one. A fresh iterator per eviction would walk again over every slot deleted
  // since the table last compacted, which turned each insert into a scan of the memo.
  let oldest = entries.keys();
  let size = 0;
  return {
    get(text, compute) {
      if (text.length > MAX_MEMO_TEXT) return compute();
      const hit = entries.get(text);
      if (hit !== undefined) {
        entries.delete(text);
        entries.set(text, hit);
        return hit.result;
      }
      const result = compute();
      const bytes = sizeOf(text, result);
      if (bytes > maxBytes) return result;
      entries.set(text, { result, bytes });
      size += bytes;
      while (size > maxBytes) {
        let next = oldest.next();
        if (next.done === true) {
          // Exhausted iterators stay exhausted: start again over what is there.
          oldest = entries.keys();
          next = oldest.next();
          if (next.done === true) break;
        }
        const key = next.value;
        size -= entries.get(key)!.bytes;
        entries.delete(key);
      }
      return result;
    },
    get size() {
      return size;
    },
  };
}

/** The memo expandForms uses (one per process: its answers do not depend on who asks). */
export const sharedFormsMemo = createFormsMemo();
