// Aho–Corasick automaton over UTF-16 code units: built once per registry revision from the
// normalized terms, then every scan is one linear pass whatever the number of terms.
// Whole-word terms only report matches that start and end on a word boundary supplied by
// the caller (the match view's boundary flags), so the acronym "NIOC" matches in
// "NIOC", "nioc.example" and "NIOC-CERT" but not inside "UNIOCX".

export interface AcTerm {
  /** The term in the same normalized form as the scanned text; empty terms are ignored. */
  readonly text: string;
  /** Report only matches with a word boundary at both ends. */
  readonly wholeWord: boolean;
}

export interface AcMatch {
  /** Index of the term in the array given to createAhoCorasick. */
  readonly term: number;
  readonly start: number;
  readonly end: number;
}

export interface AhoCorasick {
  readonly termCount: number;
  /**
   * All matches (overlapping ones included) in order of their end, then term index.
   * `boundaries[p]` (length text.length + 1) marks word edges; without it only the text's
   * start and end count as boundaries.
   */
  scan(text: string, boundaries?: Uint8Array): AcMatch[];
}

const ROOT = 0;

export function createAhoCorasick(terms: readonly AcTerm[]): AhoCorasick {
  // Transitions of the root are an array indexed by code unit (the hot path while no
  // term prefix is in progress); deeper ones live in one map keyed by node * 2^16 + unit.
  const rootNext = new Int32Array(0x10000);
  const next = new Map<number, number>();
  const children: number[][] = [[]];
  const outputs: number[][] = [[]];
  const depth: number[] = [0];
  let nodeCount = 1;

  terms.forEach((term, index) => {
    if (term.text.length === 0) return;
    let node = ROOT;
    for (let k = 0; k < term.text.length; k++) {
      const unit = term.text.charCodeAt(k);
      let child = node === ROOT ? rootNext[unit] || -1 : (next.get(node * 0x10000 + unit) ?? -1);
      if (child < 0) {
        child = nodeCount++;
        children.push([]);
        outputs.push([]);
        depth.push(depth[node]! + 1);
        if (node === ROOT) rootNext[unit] = child;
        else next.set(node * 0x10000 + unit, child);
        children[node]!.push(unit);
      }
      node = child;
    }
    outputs[node]!.push(index);
  });

  const fail = new Int32Array(nodeCount);
  // Nearest proper suffix state that has an output (-1: none).
  const dictLink = new Int32Array(nodeCount).fill(-1);
  const step = (node: number, unit: number): number => {
    let s = node;
    for (;;) {
      if (s === ROOT) return rootNext[unit] || ROOT;
      const t = next.get(s * 0x10000 + unit);
      if (t !== undefined) return t;
      s = fail[s]!;
    }
  };
  const queue: number[] = [];
  for (const unit of children[ROOT]!) {
    const child = rootNext[unit]!;
    fail[child] = ROOT;
    queue.push(child);
  }
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const unit of children[node]!) {
      const child = next.get(node * 0x10000 + unit)!;
      const f = step(fail[node]!, unit);
      fail[child] = f;
      dictLink[child] = outputs[f]!.length > 0 ? f : dictLink[f]!;
      queue.push(child);
    }
  }
  for (const list of outputs) list.sort((a, b) => a - b);
  const termLength = terms.map((t) => t.text.length);
  const wholeWord = terms.map((t) => t.wholeWord);

  return {
    termCount: terms.length,
    scan(text: string, boundaries?: Uint8Array): AcMatch[] {
      const matches: AcMatch[] = [];
      if (nodeCount === 1) return matches;
      const isEdge = (p: number): boolean =>
        boundaries === undefined ? p === 0 || p === text.length : boundaries[p] === 1;
      let state = ROOT;
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        state = state === ROOT ? rootNext[unit] || ROOT : step(state, unit);
        if (state === ROOT) continue;
        for (
          let s = outputs[state]!.length > 0 ? state : dictLink[state]!;
          s > 0;
          s = dictLink[s]!
        ) {
          for (const term of outputs[s]!) {
            const end = i + 1;
            const start = end - termLength[term]!;
            if (wholeWord[term] && !(isEdge(start) && isEdge(end))) continue;
            matches.push({ term, start, end });
          }
        }
      }
      return matches;
    },
  };
}
