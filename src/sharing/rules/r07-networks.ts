// R7 Networks: SCOs whose value lies in a protected CIDR, domain (or subdomain), email domain
// or AS number are mapped, with keyed pseudonyms, into the registry's pseudonym space
// (default 192.0.2.0/24, 2001:db8::/32, `*.example`, AS 64496–64511; checked disjoint from
// every registry value at load) and get new ids, consistently for an audience. In STIX patterns a protected comparison inside an OR
// operand is removed with its operand (the indicator only narrows); anywhere else the
// indicator is withheld. Non-STIX patterns with a hit are withheld.
import {
  findPatternComments,
  formatPattern,
  parsePattern,
  removeComparisons,
  type PatternConstant,
} from '../../stix/pattern/index.js';
import { pseudonymBytes, pseudonymLabel } from '../pseudonym.js';
import { DEFAULT_PSEUDONYM_SPACE, type PseudonymSpace } from '../policy.js';
import { normalizeDomain, parseIp, parseNetwork } from '../registry-index.js';
import { Withhold, type Env, type Work } from '../work.js';

function spaceOf(env: Partial<Pick<Env, 'registry'>>): PseudonymSpace {
  return env.registry?.pseudonymSpace ?? DEFAULT_PSEUDONYM_SPACE;
}

function bytesValue(bytes: Uint8Array, count: number): bigint {
  let v = 0n;
  for (let i = 0; i < count; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return v;
}

/**
 * A protected address → a host of the pseudonym IPv4 network (never its network or
 * broadcast address); a protected network → the pseudonym network itself. One network only:
 * spreading over several documentation ranges let mapped values land where other victims or
 * the attacker really are.
 */
export function mapIpv4(
  env: Pick<Env, 'key'> & Partial<Pick<Env, 'registry'>>,
  value: string,
): string {
  const net = parseNetwork(value)!;
  const space = parseNetwork(spaceOf(env).ipv4)!;
  if (net.prefix < 32) return `${formatV4(space.base)}/${space.prefix}`;
  const b = pseudonymBytes(env.key, 'ipv4', `${net.base}/${net.prefix}`);
  const hosts = (1n << BigInt(32 - space.prefix)) - 2n;
  return formatV4(space.base + 1n + (bytesValue(b, 8) % hosts));
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

export function mapIpv6(
  env: Pick<Env, 'key'> & Partial<Pick<Env, 'registry'>>,
  value: string,
): string {
  const net = parseNetwork(value)!;
  const space = parseNetwork(spaceOf(env).ipv6)!;
  const b = pseudonymBytes(env.key, 'ipv6', `${net.base}/${net.prefix}`);
  const hostBitsOfSpace = BigInt(128 - space.prefix);
  const inside = bytesValue(b, 16) & ((1n << hostBitsOfSpace) - 1n);
  let address = space.base | inside;
  // Keep the prefix length (at least the pseudonym network's), zero the host bits.
  const prefix = Math.max(space.prefix, net.prefix);
  if (prefix < 128) address = (address >> BigInt(128 - prefix)) << BigInt(128 - prefix);
  const hex = address.toString(16).padStart(32, '0');
  const out: string[] = [];
  for (let i = 0; i < 8; i++) out.push(parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  return net.prefix >= 128 ? out.join(':') : `${out.join(':')}/${prefix}`;
}

export function mapDomain(
  env: Pick<Env, 'key'> & Partial<Pick<Env, 'registry'>>,
  name: string,
): string {
  const label = pseudonymLabel(env.key, 'domain', normalizeDomain(name) ?? name).toLowerCase();
  return `${label}.${spaceOf(env).domainSuffix}`;
}

export function mapEmail(
  env: Pick<Env, 'key'> & Partial<Pick<Env, 'registry'>>,
  address: string,
): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  const local = pseudonymLabel(env.key, 'email', address.toLowerCase()).toLowerCase();
  return `${local}@${mapDomain(env, domain)}`;
}

export function mapAsNumber(
  env: Pick<Env, 'key'> & Partial<Pick<Env, 'registry'>>,
  n: number,
): number {
  const space = spaceOf(env);
  return (
    space.asFirst + (pseudonymBytes(env.key, 'asn', String(n)).readUInt32BE(0) % space.asCount)
  );
}

/** The host of a URL, or of a `host/path` without scheme; undefined if there is none. */
function urlHost(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Owner check for any string constant or value: address/CIDR, domain, email, URL host. */
export function isProtectedValue(value: string, env: Env): boolean {
  const trimmed = value.trim();
  if (parseNetwork(trimmed)) return env.index.networkOwner(trimmed) !== undefined;
  if (trimmed.includes('@') && env.index.emailOwner(trimmed)) return true;
  if (!/\s/.test(trimmed) && env.index.domainOwner(trimmed)) return true;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? urlHost(trimmed) : undefined;
  if (url && url.hostname !== '') {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (parseIp(host)) return env.index.networkOwner(host) !== undefined;
    if (env.index.domainOwner(host)) return true;
  }
  return env.tools.scanner.scan(value).length > 0;
}

function remapUrl(value: string, env: Env): string | undefined {
  const url = urlHost(value);
  if (!url || url.hostname === '') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const ip = parseIp(host);
  if (ip) {
    if (!env.index.networkOwner(host)) return undefined;
    url.hostname = ip.version === 4 ? mapIpv4(env, host) : `[${mapIpv6(env, host)}]`;
  } else {
    if (!env.index.domainOwner(host) && !hasTermHit(host, env)) return undefined;
    url.hostname = mapDomain(env, host);
  }
  url.username = '';
  url.password = '';
  return url.toString();
}

function hasTermHit(value: string, env: Env): boolean {
  return env.tools.scanner.scan(value).length > 0;
}

function setValue(work: Work, field: string, value: unknown): void {
  work.obj[field] = value;
  work.hit('R7', field, 'P');
  work.pseudonymizeId = true;
  work.hit('R4', 'id', 'P');
}

/** SCO values in protected networks → documentation space, with a pseudonymous id. */
export function applyNetworkObservables(work: Work, env: Env): void {
  const value = work.obj.value;
  switch (work.type) {
    case 'ipv4-addr':
    case 'ipv6-addr': {
      if (typeof value !== 'string') return;
      const net = parseNetwork(value);
      if (!net) throw new Withhold('R7', 'malformed address');
      if (!env.index.networkOwner(value)) return;
      setValue(work, 'value', net.version === 4 ? mapIpv4(env, value) : mapIpv6(env, value));
      return;
    }
    case 'domain-name':
      // A look-alike of a victim's name (`kianpower-login.com`) names the victim as surely as
      // its own domain does: both are mapped whole, which keeps the value a valid domain.
      if (typeof value === 'string' && (env.index.domainOwner(value) || hasTermHit(value, env))) {
        setValue(work, 'value', mapDomain(env, value));
      }
      return;
    case 'email-addr':
      if (typeof value === 'string' && (env.index.emailOwner(value) || hasTermHit(value, env))) {
        setValue(work, 'value', mapEmail(env, value));
        work.drop('R7', ['display_name']);
      }
      return;
    case 'url': {
      if (typeof value !== 'string') return;
      const mapped = remapUrl(value, env);
      if (mapped !== undefined) setValue(work, 'value', mapped);
      return;
    }
    case 'autonomous-system': {
      const n = work.obj.number;
      if (typeof n === 'number' && env.index.asOwner(n)) {
        setValue(work, 'number', mapAsNumber(env, n));
        work.drop('R7', ['name']);
      }
      return;
    }
    default:
      return;
  }
}

function constantStrings(value: PatternConstant): string[] {
  if (value.kind === 'string') return [value.value];
  if (value.kind === 'set') return value.value.flatMap(constantStrings);
  return [];
}

/** Indicator patterns (STIX 2.1 §9): narrow or withhold. */
export function applyPattern(work: Work, env: Env): void {
  if (work.type !== 'indicator') return;
  const pattern = work.obj.pattern;
  if (typeof pattern !== 'string') return;
  if (work.obj.pattern_type !== 'stix') {
    if (env.tools.scanner.scan(pattern).length > 0 || containsProtectedNetworkValue(pattern, env)) {
      throw new Withhold('R7', 'non-STIX pattern with a protected term');
    }
    return;
  }
  let ast;
  let comments;
  try {
    ast = parsePattern(pattern);
    comments = findPatternComments(pattern);
  } catch {
    throw new Withhold('R7', 'pattern does not parse');
  }
  const isProtectedConstant = (value: PatternConstant, operator: string): boolean =>
    constantStrings(value).some(
      (s) =>
        isProtectedValue(s, env) ||
        ((operator === 'LIKE' || operator === 'MATCHES') && hasProtectedAddressPrefix(s, env)),
    );
  const result = removeComparisons(
    ast,
    // `x IN (a, b)` is `x = a OR x = b`: its elements are judged one by one (setElement), so an
    // attacker value in the same set survives; NOT IN counts as a whole (stix/pattern decides).
    (c) => c.value.kind !== 'set' && isProtectedConstant(c.value, c.operator),
    { setElement: (element, c) => isProtectedConstant(element, c.operator) },
  );
  if (!result.safe || result.ast === undefined)
    throw new Withhold('R7', 'protected comparison outside an OR operand');
  // Comments are not part of the tree and could say anything: a pattern that has some is
  // published in canonical form (same meaning, comments gone). Otherwise an untouched
  // attacker pattern leaves byte for byte.
  if (!result.narrowed && comments.length === 0) return;
  work.obj.pattern = formatPattern(result.ast);
  work.hit('R7', 'pattern', 'R');
}

/**
 * LIKE/MATCHES constants name address ranges by prefix (`'185.51.%'`, `'^185\\.51\\.20'`):
 * the whole octets before a wildcard form a network; one overlapping a protected CIDR makes
 * the comparison protected. Broad on purpose: a false hit only narrows or withholds.
 */
export function hasProtectedAddressPrefix(constant: string, env: Env): boolean {
  const text = constant.replace(/\\\./g, '.');
  for (const m of text.matchAll(/(?<![\d.])((?:\d{1,3}\.){1,3})/g)) {
    const octets = m[1]!.split('.').filter((o) => o !== '');
    if (octets.some((o) => Number(o) > 255)) continue;
    const padded = [...octets, '0', '0', '0'].slice(0, 4).join('.');
    if (env.index.networkOwner(`${padded}/${octets.length * 8}`)) return true;
  }
  return false;
}

/** Address- or domain-looking tokens of free text (snort/yara/sigma rules) in the registry. */
function containsProtectedNetworkValue(text: string, env: Env): boolean {
  for (const token of text.split(/[^A-Za-z0-9.:/@_-]+/)) {
    const t = token.replace(/^[.:/-]+|[.:/-]+$/g, '');
    if (t.length < 3) continue;
    if (
      parseNetwork(t)
        ? env.index.networkOwner(t)
        : t.includes('@')
          ? env.index.emailOwner(t)
          : t.includes('.') && env.index.domainOwner(t)
    ) {
      return true;
    }
  }
  return false;
}
