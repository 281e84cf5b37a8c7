// R7 Networks: SCOs whose value lies in a protected CIDR, domain (or subdomain), email domain
// or AS number are mapped, with keyed pseudonyms, into documentation space (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, `*.example`, AS 64496–64511) and get new
// ids, consistently for an audience. In STIX patterns a protected comparison inside an OR
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
import { normalizeDomain, parseIp, parseNetwork } from '../registry-index.js';
import { Withhold, type Env, type Work } from '../work.js';

const TEST_NETS = ['192.0.2', '198.51.100', '203.0.113'];

export function mapIpv4(env: Pick<Env, 'key'>, value: string): string {
  const net = parseNetwork(value)!;
  const b = pseudonymBytes(env.key, 'ipv4', `${net.base}/${net.prefix}`);
  const prefix = TEST_NETS[b[0]! % TEST_NETS.length]!;
  return net.prefix < 32 ? `${prefix}.0/24` : `${prefix}.${1 + (b[1]! % 254)}`;
}

export function mapIpv6(env: Pick<Env, 'key'>, value: string): string {
  const net = parseNetwork(value)!;
  const b = pseudonymBytes(env.key, 'ipv6', `${net.base}/${net.prefix}`);
  const groups = ['2001', 'db8'];
  for (let i = 0; i < 6; i++) groups.push(((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
  const address = groups.join(':');
  if (net.prefix >= 128) return address;
  // Keep the prefix length (at least /32, the documentation block), zero the host bits.
  const prefix = Math.max(32, net.prefix);
  const parsed = parseIp(address)!.value;
  const host = BigInt(128 - prefix);
  const base = (parsed >> host) << host;
  const hex = base.toString(16).padStart(32, '0');
  const out: string[] = [];
  for (let i = 0; i < 8; i++) out.push(parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  return `${out.join(':')}/${prefix}`;
}

export function mapDomain(env: Pick<Env, 'key'>, name: string): string {
  return `${pseudonymLabel(env.key, 'domain', normalizeDomain(name) ?? name).toLowerCase()}.example`;
}

export function mapEmail(env: Pick<Env, 'key'>, address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  const local = pseudonymLabel(env.key, 'email', address.toLowerCase()).toLowerCase();
  return `${local}@${mapDomain(env, domain)}`;
}

export function mapAsNumber(env: Pick<Env, 'key'>, n: number): number {
  return 64496 + (pseudonymBytes(env.key, 'asn', String(n))[0]! % 16);
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
