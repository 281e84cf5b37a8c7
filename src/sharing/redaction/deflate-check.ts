// A cheap answer to "can zlib inflate these bytes as raw deflate?" for the certain cases.
// decode-forms.ts tries inflation on every block that is not text, and most of them are the
// decoded bytes of ordinary words, which zlib refuses only after setting up a stream and
// throwing. The bytes are walked here as RFC 1951 defines them, without producing output;
// `true` only when zlib is certain to refuse them:
//   - the input ends before the final block does (zlib: unexpected end of file);
//   - a block of type 3, a stored block whose NLEN is not the complement of LEN;
//   - with the fixed code: a literal/length symbol 286 or 287, a distance symbol 30 or 31,
//     or a distance further back than the output produced so far (nothing was before it);
//   - with a dynamic code: too many length or distance symbols, or a code-length code that
//     is over-subscribed or incomplete.
// Anything else (a dynamic block whose code-length code is valid, a completed final block)
// is `false`: zlib itself decides.

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order in which a dynamic block lists the code lengths of the code-length alphabet. */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Thrown inside the walk when the input ends: zlib would report an unexpected end. */
const END = Symbol('end of input');

class Bits {
  private at = 0;
  private bit = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** `n` bits as a number, least significant first (RFC 1951 §3.1.1). */
  read(n: number): number {
    let value = 0;
    for (let k = 0; k < n; k++) value |= this.one() << k;
    return value;
  }

  /** One bit; Huffman codes are read one bit at a time, most significant first. */
  one(): number {
    if (this.at >= this.bytes.length) throw END;
    const b = (this.bytes[this.at]! >> this.bit) & 1;
    if (++this.bit === 8) {
      this.bit = 0;
      this.at++;
    }
    return b;
  }

  /** Skips to the next byte boundary and takes a little-endian 16-bit value. */
  alignedUint16(): number {
    if (this.bit !== 0) {
      this.bit = 0;
      this.at++;
    }
    if (this.at + 2 > this.bytes.length) throw END;
    const v = this.bytes[this.at]! | (this.bytes[this.at + 1]! << 8);
    this.at += 2;
    return v;
  }

  skipBytes(n: number): void {
    if (this.at + n > this.bytes.length) throw END;
    this.at += n;
  }
}

/** A symbol of the fixed literal/length code (RFC 1951 §3.2.6). */
function fixedSymbol(bits: Bits): number {
  let code = 0;
  for (let k = 0; k < 7; k++) code = (code << 1) | bits.one();
  if (code <= 0x17) return 256 + code;
  code = (code << 1) | bits.one();
  if (code >= 0x30 && code <= 0xbf) return code - 0x30;
  if (code >= 0xc0 && code <= 0xc7) return 280 + (code - 0xc0);
  code = (code << 1) | bits.one();
  return 144 + (code - 0x190);
}

type Verdict = 'fails' | 'unknown';

/** Walks one fixed-code block: 'fails', 'unknown', or the output length at its end. */
function fixedBlock(bits: Bits, produced: number): Verdict | number {
  let out = produced;
  for (;;) {
    const symbol = fixedSymbol(bits);
    if (symbol < 256) {
      out++;
      continue;
    }
    if (symbol === 256) return out;
    if (symbol > 285) return 'fails';
    const l = symbol - 257;
    const length = LENGTH_BASE[l]! + bits.read(LENGTH_EXTRA[l]!);
    let d = 0;
    for (let k = 0; k < 5; k++) d = (d << 1) | bits.one();
    if (d > 29) return 'fails';
    const distance = DISTANCE_BASE[d]! + bits.read(DISTANCE_EXTRA[d]!);
    if (distance > out) return 'fails';
    out += length;
  }
}

/** The header of a dynamic block up to its code-length code (zlib's checks on it). */
function dynamicHeader(bits: Bits): Verdict {
  const nlen = bits.read(5) + 257;
  const ndist = bits.read(5) + 1;
  const ncode = bits.read(4) + 4;
  if (nlen > 286 || ndist > 30) return 'fails';
  const lengths = new Array<number>(19).fill(0);
  for (let k = 0; k < ncode; k++) lengths[CODE_LENGTH_ORDER[k]!] = bits.read(3);
  const count = new Array<number>(8).fill(0);
  for (const len of lengths) count[len]!++;
  let max = 7;
  while (max > 0 && count[max] === 0) max--;
  // No code at all: zlib builds a table that fails later, on a path not modelled here.
  if (max === 0) return 'unknown';
  let left = 1;
  for (let len = 1; len <= 7; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) return 'fails';
  }
  // The code-length code must be complete.
  return left > 0 ? 'fails' : 'unknown';
}

function walk(bytes: Uint8Array): Verdict {
  const bits = new Bits(bytes);
  let produced = 0;
  for (;;) {
    const final = bits.one() === 1;
    const type = bits.read(2);
    if (type === 3) return 'fails';
    if (type === 2) return dynamicHeader(bits);
    if (type === 0) {
      const len = bits.alignedUint16();
      const nlen = bits.alignedUint16();
      if ((len ^ nlen) !== 0xffff) return 'fails';
      bits.skipBytes(len);
      produced += len;
    } else {
      const end = fixedBlock(bits, produced);
      if (typeof end !== 'number') return end;
      produced = end;
    }
    if (final) return 'unknown';
  }
}

/** True only when zlib's raw inflate certainly refuses `bytes` (see the header). */
export function rawDeflateFails(bytes: Uint8Array): boolean {
  try {
    return walk(bytes) === 'fails';
  } catch (error) {
    if (error === END) return true;
    throw error;
  }
}
