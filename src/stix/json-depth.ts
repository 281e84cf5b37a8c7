// A guard run before JSON.parse on untrusted text: parsing is iterative, but everything that
// walks the result (validation, canonical serialization) recurses, so a few thousand nested
// brackets would overflow the stack. Real STIX nests a dozen levels at most.

/** Nesting stixgate accepts in a request body or an imported file. */
export const MAX_JSON_DEPTH = 100;

/** True when brackets outside strings nest deeper than `limit` (one pass, no parsing). */
export function exceedsJsonDepth(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}
