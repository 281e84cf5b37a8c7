// Where a derived string differs from the original: a word-level longest common subsequence,
// so that each redacted name, address or pseudonym shows as its own span in place, in any
// script (Persian words are runs of letters like Latin ones).

export interface Segment {
  text: string;
  changed: boolean;
}

export interface TextDiff {
  original: Segment[];
  derived: Segment[];
}

// Words keep the characters that join parts of a name, an address or a label
// (kianpower.ir, 10.20.3.4, Victim-ABCD2345, d.karimi@x, REDACTED:phone).
const TOKEN = /[\p{L}\p{M}\p{N}_.@:\-\u200c]+|\s+|[^\p{L}\p{M}\p{N}_.@:\-\u200c\s]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Beyond this many token pairs the diff falls back to common prefix and suffix. */
const MAX_CELLS = 4_000_000;

export function diffText(original: string, derived: string): TextDiff {
  if (original === derived) return { original: seg(original, false), derived: seg(derived, false) };
  const a = tokenize(original);
  const b = tokenize(derived);
  const marksA = new Array<boolean>(a.length).fill(true);
  const marksB = new Array<boolean>(b.length).fill(true);
  if (a.length * b.length <= MAX_CELLS) {
    const width = b.length + 1;
    const table = new Uint32Array((a.length + 1) * width);
    for (let i = a.length - 1; i >= 0; i--)
      for (let j = b.length - 1; j >= 0; j--)
        table[i * width + j] =
          a[i] === b[j]
            ? table[(i + 1) * width + j + 1]! + 1
            : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        marksA[i++] = false;
        marksB[j++] = false;
      } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
      else j++;
    }
  } else {
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) marksA[p] = marksB[p++] = false;
    let s = 0;
    while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) {
      marksA[a.length - 1 - s] = false;
      marksB[b.length - 1 - s] = false;
      s++;
    }
  }
  return { original: merge(a, marksA), derived: merge(b, marksB) };
}

function seg(text: string, changed: boolean): Segment[] {
  return text === '' ? [] : [{ text, changed }];
}

/** Joins runs; blanks between two changed words belong to the change (one span per name). */
function merge(tokens: string[], marks: boolean[]): Segment[] {
  const flags = marks.slice();
  for (let k = 1; k < tokens.length - 1; k++)
    if (!flags[k] && /^\s+$/.test(tokens[k]!) && flags[k - 1] && flags[k + 1]) flags[k] = true;
  const out: Segment[] = [];
  tokens.forEach((token, k) => {
    const changed = flags[k]!;
    const last = out[out.length - 1];
    if (last && last.changed === changed) last.text += token;
    else out.push({ text: token, changed });
  });
  return out;
}

export type SpanKind = 'pseudonym' | 'redacted' | 'changed';

/** What a changed span of a derived string is: a `Victim-…` label, a redaction marker, or other. */
export function spanKind(text: string): SpanKind {
  if (/\bVictim-[A-Z2-7]{8}\b/.test(text)) return 'pseudonym';
  if (/\[REDACTED:[^\]]*\]|REDACTED-[a-z-]+/i.test(text)) return 'redacted';
  return 'changed';
}
