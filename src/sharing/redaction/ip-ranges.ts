// IPv4/IPv6 parsing, CIDR containment for the registry's protected ranges, and the R7
// mapping of protected addresses and domains into documentation space (RFC 5737
// 192.0.2.0/24, RFC 3849 2001:db8::/32, RFC 2606 `.example`). No `node:net`: sharing/ is
// pure, and the parsers here also accept what text contains (leading zeros, `::ffff:a.b.c.d`).

export interface IpAddress {
  readonly version: 4 | 6;
  /** The address as an unsigned integer (32 or 128 bits). */
  readonly value: bigint;
}

export interface Cidr {
  readonly version: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

/** Dotted-quad IPv4 (each part 0–255, decimal; leading zeros read as decimal). */
export function parseIpv4(text: string): bigint | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x30 && c <= 0x39) {
      part = part * 10 + (c - 0x30);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 0x2e && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return BigInt(value * 256 + part);
}

/** IPv6 in any RFC 4291 text form (with `::`, an embedded IPv4 tail, or a `%zone`). */
export function parseIpv6(text: string): bigint | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.length < 2 || !/^[0-9A-Fa-f:.]+$/.test(s)) return null;
  let tail: bigint | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    tail = parseIpv4(s.slice(lastColon + 1));
    if (tail === null) return null;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === null || rest === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  if (tail !== null) value = (value & ~0xffffffffn) | tail;
  return value;
}

/**
 * IPv4 as the C library's inet_aton (and so browsers, ping and curl) reads it: one to four
 * parts, each decimal, `0x` hexadecimal or `0`-prefixed octal, the last part filling the
 * remaining bytes (`3232235777`, `0xC0A80101`, `0300.0250.1.1`, `192.168.257`, `10.1`).
 */
export function parseIpv4Loose(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length === 0 || parts.length > 4) return null;
  const values: bigint[] = [];
  for (const p of parts) {
    let v: bigint;
    if (/^0[xX][0-9a-fA-F]{1,8}$/.test(p)) v = BigInt(`0x${p.slice(2)}`);
    else if (/^0[0-7]{1,11}$/.test(p)) v = BigInt(`0o${p.slice(1) || '0'}`);
    else if (/^(?:0|[1-9][0-9]{0,9})$/.test(p)) v = BigInt(p);
    else return null;
    values.push(v);
  }
  const lastBits = BigInt(8 * (5 - values.length));
  let out = 0n;
  for (let k = 0; k < values.length - 1; k++) {
    if (values[k]! > 255n) return null;
    out = (out << 8n) | values[k]!;
  }
  const last = values[values.length - 1]!;
  if (last >= 1n << lastBits) return null;
  return (out << lastBits) | last;
}

/** The IPv4 address an IPv6 address embeds: IPv4-mapped, -compatible, NAT64 (64:ff9b::/96), 6to4. */
export function embeddedIpv4(value: bigint): bigint | null {
  const high96 = value >> 32n;
  if (high96 === 0xffffn || high96 === 0x64ff9b0000000000000000n) return value & 0xffffffffn;
  // IPv4-compatible (deprecated, still parsed by readers): ::a.b.c.d, not :: or ::1.
  if (high96 === 0n && value > 0xffffn) return value & 0xffffffffn;
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn;
  return null;
}

export function parseIp(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== null) return { version: 6, value: v6 };
  return null;
}

/** `a.b.c.d/n`, `x::/n`, or a bare address (a /32 or /128). Host bits are cleared. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = parseIp((slash < 0 ? text : text.slice(0, slash)).trim());
  if (addr === null) return null;
  const bits = addr.version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1).trim();
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > bits) return null;
  }
  const shift = BigInt(bits - prefix);
  return { version: addr.version, base: (addr.value >> shift) << shift, prefix };
}

/** Whether `ip` lies in `cidr`; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as IPv4. */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  let { version, value } = ip;
  if (version === 6 && cidr.version === 4 && value >> 32n === 0xffffn) {
    version = 4;
    value = value & 0xffffffffn;
  }
  if (version !== cidr.version) return false;
  const shift = BigInt((version === 4 ? 32 : 128) - cidr.prefix);
  return value >> shift === cidr.base >> shift;
}

export interface CidrMatcher {
  /** Owner of the most specific protected range containing `ip`, if any. */
  lookup(ip: string | IpAddress): string | undefined;
  /** Owner of a protected range sharing any address with [first, last] (inclusive). */
  overlapping(version: 4 | 6, first: bigint, last: bigint): string | undefined;
}

/**
 * Invalid CIDR strings are reported, not ignored: a typo must not unprotect a network.
 * Lookups cost one map probe per distinct prefix length, not one comparison per range.
 */
export function createCidrMatcher(entries: readonly { cidr: string; owner: string }[]): {
  matcher: CidrMatcher;
  invalid: string[];
} {
  // version → prefix length (longest first) → network bits → owner (first entry wins).
  const tables: Record<4 | 6, Map<number, Map<bigint, string>>> = { 4: new Map(), 6: new Map() };
  const invalid: string[] = [];
  for (const e of entries) {
    const cidr = parseCidr(e.cidr);
    if (cidr === null) {
      invalid.push(e.cidr);
      continue;
    }
    const byPrefix = tables[cidr.version];
    let nets = byPrefix.get(cidr.prefix);
    if (nets === undefined) {
      nets = new Map();
      byPrefix.set(cidr.prefix, nets);
    }
    const key = cidr.base >> BigInt((cidr.version === 4 ? 32 : 128) - cidr.prefix);
    if (!nets.has(key)) nets.set(key, e.owner);
  }
  const ranges: { version: 4 | 6; first: bigint; last: bigint; owner: string }[] = [];
  for (const e of entries) {
    const cidr = parseCidr(e.cidr);
    if (cidr === null) continue;
    const size = 1n << BigInt((cidr.version === 4 ? 32 : 128) - cidr.prefix);
    ranges.push({
      version: cidr.version,
      first: cidr.base,
      last: cidr.base + size - 1n,
      owner: e.owner,
    });
  }
  const ordered = (m: Map<number, Map<bigint, string>>): [number, Map<bigint, string>][] =>
    [...m.entries()].sort((a, b) => b[0] - a[0]);
  const v4list = ordered(tables[4]);
  const v6 = ordered(tables[6]);
  const find = (
    list: [number, Map<bigint, string>][],
    bits: number,
    value: bigint,
  ): string | undefined => {
    for (const [prefix, nets] of list) {
      const owner = nets.get(value >> BigInt(bits - prefix));
      if (owner !== undefined) return owner;
    }
    return undefined;
  };
  return {
    invalid,
    matcher: {
      lookup(ip) {
        const addr = typeof ip === 'string' ? parseIp(ip) : ip;
        if (addr === null) return undefined;
        if (addr.version === 4) return find(v4list, 32, addr.value);
        // IPv4-mapped IPv6 (::ffff:a.b.c.d) is also looked up as IPv4, and an IPv4 range wins.
        const own = find(v6, 128, addr.value);
        const v4 = embeddedIpv4(addr.value);
        if (v4 !== null) {
          const mapped = find(v4list, 32, v4);
          if (mapped !== undefined) return mapped;
        }
        return own;
      },
      overlapping(version, first, last) {
        return ranges.find((r) => r.version === version && r.first <= last && first <= r.last)
          ?.owner;
      },
    },
  };
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** RFC 5952 canonical text: lower case, longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let k = 7; k >= 0; k--) groups.push(Number((value >> BigInt(k * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let k = 0; k < 8;) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && groups[j] === 0) j++;
    if (j - k > bestLen && j - k >= 2) {
      bestStart = k;
      bestLen = j - k;
    }
    k = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an address (what pseudonyms are computed over). */
export function canonicalIp(ip: IpAddress): string {
  return ip.version === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

// ---------------------------------------------------------------------------------------
// R7: documentation space. `hmac` is the caller's keyed pseudonym function (HMAC-SHA256
// with the audience key); this module never sees a key. Inputs are prefixed with the STIX
// type they stand for (`ipv4-addr:`, `ipv6-addr:`, `domain-name:`, `email-addr:`), as R4's
// `type ‖ canonical(x)`.

export type KeyedHash = (input: string) => Buffer;

/**
 * The first `length` bytes of `bytes` as lower-case letters (byte mod 26). Letters only, no
 * digits: a digit inside a label would be a word boundary for the egress re-scan, and a
 * protected acronym could then appear "whole" inside a random label (`2moe7abc`).
 */
export function letterLabel(bytes: Uint8Array, length = 8): string {
  let out = '';
  for (let k = 0; k < length && k < bytes.length; k++) {
    out += String.fromCharCode(0x61 + ((bytes[k] ?? 0) % 26));
  }
  return out;
}

const DOC_V4 = 0xc0000200n; // 192.0.2.0/24
const DOC_V6 = 0x20010db8n << 96n; // 2001:db8::/32

/**
 * Maps a protected address (or CIDR) into documentation space, deterministically for a
 * given key: IPv4 → 192.0.2.1–254 (a network /n → 192.0.2.0/24 when n ≤ 24, else a
 * sub-network of it), IPv6 → 2001:db8::/32 with the remaining 96 bits from the hash.
 * 254 IPv4 slots means distinct protected addresses may collide; that loses no secrecy.
 * Returns null when `text` is not an address.
 */
export function mapIpToDocumentation(text: string, hmac: KeyedHash): string | null {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const cidr = parseCidr(text);
    if (cidr === null) return null;
    const canonical = `${canonicalIp({ version: cidr.version, value: cidr.base })}/${cidr.prefix}`;
    const h = hmac(`${cidr.version === 4 ? 'ipv4-addr' : 'ipv6-addr'}:${canonical}`);
    if (cidr.version === 4) {
      if (cidr.prefix <= 24) return '192.0.2.0/24';
      const hostBits = 32n - BigInt(cidr.prefix);
      const net = ((BigInt(h[0] ?? 0) >> hostBits) << hostBits) & 0xffn;
      return `${formatIpv4(DOC_V4 | net)}/${cidr.prefix}`;
    }
    if (cidr.prefix <= 32) return '2001:db8::/32';
    const hostBits = 128n - BigInt(cidr.prefix);
    const net = ((bytesToBigint(h.subarray(0, 12)) >> hostBits) << hostBits) & ((1n << 96n) - 1n);
    return `${formatIpv6(DOC_V6 | net)}/${cidr.prefix}`;
  }
  const ip = parseIp(text);
  if (ip === null) return null;
  if (ip.version === 4) {
    const h = hmac(`ipv4-addr:${formatIpv4(ip.value)}`);
    return formatIpv4(DOC_V4 | BigInt(1 + ((h[0] ?? 0) % 254)));
  }
  const h = hmac(`ipv6-addr:${formatIpv6(ip.value)}`);
  return formatIpv6(DOC_V6 | bytesToBigint(h.subarray(0, 12)));
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/**
 * Maps a protected domain to `<label>.example`. When `protectedSuffix` (the registry
 * domain it belongs to) is given and `domain` is a subdomain of it, the result is
 * `<label(domain)>.<label(suffix)>.example`, so all hosts of one protected domain stay
 * visibly related without revealing it.
 */
export function mapDomainToDocumentation(
  domain: string,
  hmac: KeyedHash,
  protectedSuffix?: string,
): string {
  const name = domain.toLowerCase().replace(/\.$/, '');
  const label = (x: string): string => letterLabel(hmac(`domain-name:${x}`));
  const suffix = protectedSuffix?.toLowerCase().replace(/\.$/, '');
  if (suffix !== undefined && name !== suffix && name.endsWith(`.${suffix}`)) {
    return `${label(name)}.${label(suffix)}.example`;
  }
  return `${label(name)}.example`;
}

/** Maps a protected email address to `<label>@<mapped domain>`. */
export function mapEmailToDocumentation(
  email: string,
  hmac: KeyedHash,
  protectedSuffix?: string,
): string {
  const at = email.lastIndexOf('@');
  const domain = at >= 0 ? email.slice(at + 1) : email;
  const local = letterLabel(hmac(`email-addr:${email.toLowerCase()}`));
  return `${local}@${mapDomainToDocumentation(domain, hmac, protectedSuffix)}`;
}

/**
 * One entry point for R7 by STIX value type: `ipv4-addr`/`ipv6-addr` (address or CIDR),
 * `domain-name`, `email-addr`. Null when the value does not parse as its type.
 */
export function mapToDocumentationSpace(
  type: 'ipv4-addr' | 'ipv6-addr' | 'domain-name' | 'email-addr',
  value: string,
  hmac: KeyedHash,
  protectedSuffix?: string,
): string | null {
  switch (type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return mapIpToDocumentation(value, hmac);
    case 'domain-name':
      return value.includes('.') ? mapDomainToDocumentation(value, hmac, protectedSuffix) : null;
    case 'email-addr':
      return value.includes('@') ? mapEmailToDocumentation(value, hmac, protectedSuffix) : null;
  }
}
