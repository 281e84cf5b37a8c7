// Finds the numbers of a JSON text that a JavaScript number cannot hold exactly. JSON.parse
// turns 1e400 into Infinity (stored as null) and rounds a 30-digit integer, silently; stored
// objects are re-serialized from the parsed value, so such a number would be changed while
// the write reports success. Run on text JSON.parse has already accepted. Pure.

export interface InexactNumber {
  /** Where the number sits: object keys and array indexes from the top. */
  path: (string | number)[];
  /** The number as written, cut to 40 characters for messages. */
  written: string;
  reason: 'not finite' | 'integer beyond 2^53' | 'more precision than a double holds';
}

type Frame = { array: true; index: number } | { array: false; keyStart: number; keyEnd: number };

/** Every number of `text` (valid JSON) that would not survive parse and serialize unchanged. */
export function findInexactNumbers(text: string): InexactNumber[] {
  const found: InexactNumber[] = [];
  const stack: Frame[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      // A string directly followed by ':' is a key.
      let j = end;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (top && !top.array && text.charCodeAt(j) === 0x3a) {
        top.keyStart = i;
        top.keyEnd = end;
      }
      i = end;
    } else if (c === 0x7b) {
      stack.push({ array: false, keyStart: -1, keyEnd: -1 });
      i++;
    } else if (c === 0x5b) {
      stack.push({ array: true, index: 0 });
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.array) top.index++;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      const token = text.slice(i, j);
      const reason = inexactReason(token);
      if (reason) found.push({ path: pathOf(text, stack), written: token.slice(0, 40), reason });
      i = j;
    } else i++;
  }
  return found;
}

/**
 * Why `token` (a JSON number) cannot be kept exactly, or undefined when it can. The test is the
 * value: what stixgate writes back (JavaScript's shortest form) must denote the same decimal.
 * So 1152921504606847000 (the double 2^60, in the form stixgate writes) is kept, and so is
 * anything stixgate itself wrote, while 1152921504606846976 (2^60 digit for digit, written back
 * as …847000) and 2^53 + 1 (which reads back as 2^53) are refused.
 */
export function inexactReason(token: string): InexactNumber['reason'] | undefined {
  const value = Number(token);
  if (!Number.isFinite(value)) return 'not finite';
  if (sameDecimal(token, String(value))) return undefined;
  return /[.eE]/.test(token) ? 'more precision than a double holds' : 'integer beyond 2^53';
}

/** Whether two decimal numerals denote the same value (sign, significant digits, exponent). */
function sameDecimal(a: string, b: string): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x.digits === y.digits && x.exponent === y.exponent && x.negative === y.negative;
}

function normalize(numeral: string): { negative: boolean; digits: string; exponent: number } {
  let s = numeral;
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const e = s.search(/[eE]/);
  let exponent = e < 0 ? 0 : Number(s.slice(e + 1));
  const mantissa = e < 0 ? s : s.slice(0, e);
  const dot = mantissa.indexOf('.');
  const whole = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fraction = dot < 0 ? '' : mantissa.slice(dot + 1);
  let digits = (whole + fraction).replace(/^0+/, '');
  exponent -= fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  // Zero has no sign worth keeping (-0 and 0 serialize alike) and no exponent.
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  return { negative, digits, exponent };
}

function pathOf(text: string, stack: readonly Frame[]): (string | number)[] {
  return stack.map((frame) => {
    if (frame.array) return frame.index;
    return frame.keyStart < 0
      ? ''
      : (JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string);
  });
}

/** Index just past the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

function isNumberChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** `/objects/3/x_score` style, for messages. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
