// A string paired with an offset map back to the text it was derived from: for every UTF-16
// unit of `text`, the original [start, end) span it came from. Each normalization stage
// consumes a MappedText and produces one, so spans always point into the ORIGINAL string
// and a hit found in normalized text redacts exactly the original characters.

export interface MappedText {
  readonly text: string;
  /** Original start offset (UTF-16 units) of each unit of `text`. */
  readonly starts: Int32Array;
  /** Original end offset (exclusive) of each unit of `text`. */
  readonly ends: Int32Array;
}

// 0, 1, 2, … shared by every identity map (read-only views into it are handed out).
let counting = new Int32Array(0);

function ensureCounting(n: number): void {
  if (counting.length > n) return;
  const next = new Int32Array(
    Math.min(Math.max(n + 1, counting.length * 2, 1024), SHARED_LIMIT + 1),
  );
  for (let i = 0; i < next.length; i++) next[i] = i;
  counting = next;
}

/** Texts up to this length share the counting buffer; longer ones get their own. */
const SHARED_LIMIT = 1 << 16;

/** The identity map: unit i of `text` comes from [i, i + 1). Its arrays must not be written. */
export function identityMapped(text: string): MappedText {
  const n = text.length;
  if (n >= SHARED_LIMIT) {
    const own = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) own[i] = i;
    return { text, starts: own.subarray(0, n), ends: own.subarray(1, n + 1) };
  }
  ensureCounting(n);
  return { text, starts: counting.subarray(0, n), ends: counting.subarray(1, n + 1) };
}

/** Original span covered by units [from, to) of a mapped text (to > from). */
export function originalSpan(m: MappedText, from: number, to: number): [number, number] {
  return [m.starts[from] ?? 0, m.ends[to - 1] ?? 0];
}

/** Appends strings with their original spans; grows its arrays geometrically. */
export class MappedBuilder {
  private chunks: string[] = [];
  private pending = '';
  private length = 0;
  private starts: Int32Array;
  private ends: Int32Array;

  constructor(capacityHint: number) {
    const cap = Math.max(16, capacityHint);
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
  }

  get size(): number {
    return this.length;
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.starts.length) return;
    let cap = this.starts.length * 2;
    while (cap < need) cap *= 2;
    const s = new Int32Array(cap);
    s.set(this.starts.subarray(0, this.length));
    const e = new Int32Array(cap);
    e.set(this.ends.subarray(0, this.length));
    this.starts = s;
    this.ends = e;
  }

  private appendText(str: string): void {
    this.pending += str;
    if (this.pending.length > 4096) {
      this.chunks.push(this.pending);
      this.pending = '';
    }
  }

  /** Every unit of `str` maps to the original span [start, end). */
  push(str: string, start: number, end: number): void {
    const n = str.length;
    if (n === 0) return;
    this.reserve(n);
    for (let k = 0; k < n; k++) {
      this.starts[this.length + k] = start;
      this.ends[this.length + k] = end;
    }
    this.length += n;
    this.appendText(str);
  }

  /** Copies units [from, to) of `src` unchanged, keeping their spans. */
  copy(src: MappedText, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.reserve(n);
    this.starts.set(src.starts.subarray(from, to), this.length);
    this.ends.set(src.ends.subarray(from, to), this.length);
    this.length += n;
    if (this.pending.length + n > 4096) {
      if (this.pending.length > 0) this.chunks.push(this.pending);
      this.pending = '';
      this.chunks.push(src.text.slice(from, to));
    } else {
      this.pending += src.text.slice(from, to);
    }
  }

  build(): MappedText {
    if (this.pending.length > 0) this.chunks.push(this.pending);
    const text = this.chunks.join('');
    this.chunks = [text];
    this.pending = '';
    return {
      text,
      starts: this.starts.slice(0, this.length),
      ends: this.ends.slice(0, this.length),
    };
  }
}

/**
 * Replaces every match of `re` (must be global) in `src`; `replace` returns the replacement
 * (each of its units maps to the whole match's original span) or null to keep the match.
 * Returns `src` itself when nothing was replaced.
 */
export function replaceMapped(
  src: MappedText,
  re: RegExp,
  replace: (match: RegExpExecArray) => string | null,
): MappedText {
  re.lastIndex = 0;
  let builder: MappedBuilder | null = null;
  let last = 0;
  for (let m = re.exec(src.text); m !== null; m = re.exec(src.text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const out = replace(m);
    if (out === null) continue;
    builder ??= new MappedBuilder(src.text.length);
    builder.copy(src, last, m.index);
    const [s, e] = originalSpan(src, m.index, m.index + m[0].length);
    builder.push(out, s, e);
    last = m.index + m[0].length;
  }
  if (builder === null) return src;
  builder.copy(src, last, src.text.length);
  return builder.build();
}
