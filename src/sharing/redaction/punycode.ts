// Punycode (RFC 3492) for IDN labels, written here so the redactor stays dependency-free and
// can decode `xn--` labels found anywhere in free text (not only in well-formed hostnames).

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_CODE_POINT = 0x10ffff;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - TMIN) * TMAX) >> 1) {
    d = Math.floor(d / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * d) / (d + SKEW));
}

function digitOf(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return BASE;
}

function digitChar(d: number): string {
  return String.fromCharCode(d < 26 ? 0x61 + d : 0x30 + d - 26);
}

/** Decodes the part of a label after `xn--`; null when it is not valid punycode. */
export function decodePunycode(input: string): string | null {
  const output: number[] = [];
  const delim = input.lastIndexOf('-');
  let pos = 0;
  if (delim >= 0) {
    for (let j = 0; j < delim; j++) {
      const c = input.charCodeAt(j);
      if (c >= 0x80) return null;
      output.push(c);
    }
    pos = delim + 1;
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  while (pos < input.length) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= input.length) return null;
      const digit = digitOf(input.charCodeAt(pos++));
      if (digit >= BASE) return null;
      i += digit * w;
      if (i > MAX_CODE_POINT * (output.length + 1)) return null;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (digit < t) break;
      w *= BASE - t;
    }
    const out = output.length + 1;
    bias = adapt(i - oldi, out, oldi === 0);
    n += Math.floor(i / out);
    i %= out;
    if (n > MAX_CODE_POINT || (n >= 0xd800 && n <= 0xdfff)) return null;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** Encodes a Unicode label into punycode (without the `xn--` prefix). */
export function encodePunycode(input: string): string {
  const cps = Array.from(input, (ch) => ch.codePointAt(0) ?? 0);
  let out = '';
  for (const cp of cps) if (cp < 0x80) out += String.fromCharCode(cp);
  const basicCount = out.length;
  let handled = basicCount;
  if (basicCount > 0) out += '-';
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < cps.length) {
    let m = MAX_CODE_POINT + 1;
    for (const cp of cps) if (cp >= n && cp < m) m = cp;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const cp of cps) {
      if (cp < n) delta++;
      if (cp === n) {
        let q = delta;
        for (let k = BASE; ; k += BASE) {
          const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
          if (q < t) break;
          out += digitChar(t + ((q - t) % (BASE - t)));
          q = Math.floor((q - t) / (BASE - t));
        }
        out += digitChar(q);
        bias = adapt(delta, handled + 1, handled === basicCount);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

/** Unicode form of a (possibly `xn--`) domain name, lower-cased; labels that fail stay as-is. */
export function domainToUnicodeLoose(domain: string): string {
  return domain
    .toLowerCase()
    .split('.')
    .map((label) => {
      if (!label.startsWith('xn--')) return label;
      const decoded = decodePunycode(label.slice(4));
      return decoded === null ? label : decoded.toLowerCase();
    })
    .join('.');
}

/** ASCII (`xn--`) form of a Unicode domain name, lower-cased. */
export function domainToAsciiLoose(domain: string): string {
  return domain
    .normalize('NFKC')
    .toLowerCase()
    .split('.')
    .map((label) =>
      [...label].every((ch) => ch.charCodeAt(0) < 0x80) ? label : `xn--${encodePunycode(label)}`,
    )
    .join('.');
}
