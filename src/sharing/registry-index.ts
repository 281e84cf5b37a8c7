// Lookup structures over the protected-entity registry, built once per registry revision:
// which identities are protected, network membership (R7) and sector counts (R3 G).
import { domainToASCII } from 'node:url';
import {
  DEFAULT_PSEUDONYM_SPACE,
  type ProtectedEntity,
  type ProtectedRegistry,
  type PseudonymSpace,
} from './policy.js';

export interface IpNetwork {
  version: 4 | 6;
  base: bigint;
  prefix: number;
}

export interface RegistryIndex {
  /** Identity id → entity, for identities the registry names. */
  entityByIdentity: ReadonlyMap<string, ProtectedEntity>;
  entityById: ReadonlyMap<string, ProtectedEntity>;
  allowedIdentities: ReadonlySet<string>;
  allowedLocations: ReadonlySet<string>;
  /** Entity of a protected network containing (or overlapping) this address/CIDR. */
  networkOwner(value: string): ProtectedEntity | undefined;
  /** Entity whose domain or hostname equals this name or is a parent of it. */
  domainOwner(name: string): ProtectedEntity | undefined;
  /** Entity whose email domain (or domain) covers this address's domain. */
  emailOwner(address: string): ProtectedEntity | undefined;
  asOwner(asNumber: number): ProtectedEntity | undefined;
  /** Number of entities whose sector is `label` or lies under it on the ladder. */
  sectorCount(label: string): number;
}

export function isProtectedIdentity(
  registry: ProtectedRegistry,
  index: RegistryIndex,
  id: string,
): boolean {
  return id !== registry.ownIdentity.id && !index.allowedIdentities.has(id);
}

export function buildRegistryIndex(registry: ProtectedRegistry): RegistryIndex {
  const entityByIdentity = new Map<string, ProtectedEntity>();
  const entityById = new Map<string, ProtectedEntity>();
  const networks: { net: IpNetwork; entity: ProtectedEntity }[] = [];
  // IPv4 networks again with their base as a number: the overlap test of every query then
  // needs no BigInt arithmetic (the first match in registry order is the same).
  const networks4: { base: number; prefix: number; entity: ProtectedEntity }[] = [];
  // For single addresses (most queries): per prefix length of the registry, network number →
  // the first network of that number in registry order. An address overlaps a network iff it
  // lies inside it, so the owner is the earliest of those found under each prefix length.
  const firstByPrefix = new Map<number, Map<number, { order: number; entity: ProtectedEntity }>>();
  const domains = new Map<string, ProtectedEntity>();
  const emailDomains = new Map<string, ProtectedEntity>();
  const asNumbers = new Map<number, ProtectedEntity>();
  for (const entity of registry.entities) {
    entityById.set(entity.id, entity);
    for (const id of entity.identityIds) entityByIdentity.set(id, entity);
    for (const cidr of entity.cidrs) {
      const net = parseNetwork(cidr);
      if (net) networks.push({ net, entity });
      if (net?.version === 4) {
        const base = Number(net.base);
        let table = firstByPrefix.get(net.prefix);
        if (table === undefined) firstByPrefix.set(net.prefix, (table = new Map()));
        const key = Math.floor(base / 2 ** (32 - net.prefix));
        if (!table.has(key)) table.set(key, { order: networks4.length, entity });
        networks4.push({ base, prefix: net.prefix, entity });
      }
    }
    for (const d of [...entity.domains, ...entity.hostnames]) {
      const n = normalizeDomain(d);
      if (n) domains.set(n, entity);
    }
    for (const d of [...entity.emailDomains, ...entity.domains]) {
      const n = normalizeDomain(d);
      if (n && !emailDomains.has(n)) emailDomains.set(n, entity);
    }
    for (const a of entity.asNumbers) asNumbers.set(a, entity);
  }
  const sectorCounts = new Map<string, number>();
  for (const entity of registry.entities) {
    for (const label of sectorChain(registry.sectorLadder, entity.sector)) {
      sectorCounts.set(label, (sectorCounts.get(label) ?? 0) + 1);
    }
  }
  const byName = (
    table: Map<string, ProtectedEntity>,
    name: string,
  ): ProtectedEntity | undefined => {
    let n = normalizeDomain(name);
    while (n) {
      const hit = table.get(n);
      if (hit) return hit;
      const dot = n.indexOf('.');
      n = dot < 0 ? undefined : n.slice(dot + 1);
    }
    return undefined;
  };
  return {
    entityByIdentity,
    entityById,
    allowedIdentities: new Set(registry.allowedIdentities),
    allowedLocations: new Set(registry.allowedLocations),
    networkOwner(value) {
      const net = parseNetwork(value);
      if (!net) return undefined;
      if (net.version === 4) {
        const base = Number(net.base);
        if (net.prefix === 32) {
          let first: { order: number; entity: ProtectedEntity } | undefined;
          for (const [prefix, table] of firstByPrefix) {
            const found = table.get(Math.floor(base / 2 ** (32 - prefix)));
            if (found !== undefined && (first === undefined || found.order < first.order))
              first = found;
          }
          return first?.entity;
        }
        for (const n of networks4) {
          // Both agree on their shorter prefix: exact in doubles (integers below 2^32).
          const size = 2 ** (32 - Math.min(n.prefix, net.prefix));
          if (Math.floor(n.base / size) === Math.floor(base / size)) return n.entity;
        }
        return undefined;
      }
      return networks.find((n) => overlaps(n.net, net))?.entity;
    },
    domainOwner: (name) => byName(domains, name),
    emailOwner(address) {
      const at = address.lastIndexOf('@');
      return at < 0 ? undefined : byName(emailDomains, address.slice(at + 1));
    },
    asOwner: (n) => asNumbers.get(n),
    sectorCount: (label) => sectorCounts.get(label) ?? 0,
  };
}

/** `label`, its parent, its grandparent… (cycle-safe). */
export function sectorChain(
  ladder: Readonly<Record<string, string>>,
  label: string | undefined,
): string[] {
  const chain: string[] = [];
  let current = label;
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current);
    current = Object.hasOwn(ladder, current) ? ladder[current] : undefined;
  }
  return chain;
}

/** Lowercase ASCII (punycode) form without a trailing dot; undefined if not a domain name. */
export function normalizeDomain(name: string): string | undefined {
  const trimmed = name.trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s/@:]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.toLowerCase());
  return ascii === '' ? undefined : ascii;
}

export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { version: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  const lastColon = text.lastIndexOf(':');
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes('.')) {
    // Embedded IPv4 (`::ffff:192.0.2.1`): rewrite the dotted quad as two hex groups.
    const v4 = parseIp(dotted);
    if (!v4 || v4.version !== 4) return undefined;
    head = `${text.slice(0, lastColon + 1)}${(v4.value >> 16n).toString(16)}:${(v4.value & 0xffffn).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => BigInt(parseInt(g, 16)));
  };
  const left = toGroups(halves[0]!);
  const right = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const needed = 8;
  let groups: bigint[];
  if (halves.length === 2) {
    const fill = needed - left.length - right.length;
    if (fill < 1) return undefined;
    groups = [...left, ...Array<bigint>(fill).fill(0n), ...right];
  } else {
    if (left.length !== needed) return undefined;
    groups = left;
  }
  return { version: 6, value: groups.reduce((acc, g) => (acc << 16n) | g, 0n) };
}

/** An address or a CIDR; undefined when it is neither. */
export function parseNetwork(text: string): IpNetwork | undefined {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  const hostBits = BigInt(bits - prefix);
  return { version: ip.version, base: (ip.value >> hostBits) << hostBits, prefix };
}

export function overlaps(a: IpNetwork, b: IpNetwork): boolean {
  if (a.version !== b.version) return false;
  const bits = a.version === 4 ? 32 : 128;
  const prefix = Math.min(a.prefix, b.prefix);
  const shift = BigInt(bits - prefix);
  return a.base >> shift === b.base >> shift;
}

/**
 * Registry values that fall inside R7's mapping space (empty when the space is usable): a
 * CIDR overlapping a pseudonym network, a domain under the pseudonym suffix, an AS number in
 * the pseudonym block. Checked at startup and by `policy check`.
 */
export function checkPseudonymSpace(
  registry: ProtectedRegistry,
  space: PseudonymSpace = registry.pseudonymSpace ?? DEFAULT_PSEUDONYM_SPACE,
): string[] {
  const problems: string[] = [];
  const v4 = parseNetwork(space.ipv4);
  const v6 = parseNetwork(space.ipv6);
  if (v4?.version !== 4) problems.push(`pseudonym ipv4 network ${space.ipv4} is not an IPv4 CIDR`);
  if (v6?.version !== 6) problems.push(`pseudonym ipv6 network ${space.ipv6} is not an IPv6 CIDR`);
  if (v4 !== undefined && v4.prefix > 30)
    problems.push('pseudonym ipv4 network is smaller than /30');
  const suffix = normalizeDomain(space.domainSuffix) ?? space.domainSuffix;
  for (const e of registry.entities) {
    for (const cidr of e.cidrs) {
      const net = parseNetwork(cidr);
      if (net && ((v4 && overlaps(v4, net)) || (v6 && overlaps(v6, net))))
        problems.push(`entity ${e.id}: ${cidr} overlaps the pseudonym networks`);
    }
    for (const d of [...e.domains, ...e.emailDomains, ...e.hostnames]) {
      const n = normalizeDomain(d);
      if (n !== undefined && (n === suffix || n.endsWith(`.${suffix}`)))
        problems.push(`entity ${e.id}: ${d} lies under the pseudonym suffix .${suffix}`);
    }
    for (const a of e.asNumbers) {
      if (a >= space.asFirst && a < space.asFirst + space.asCount)
        problems.push(`entity ${e.id}: AS${a} lies in the pseudonym AS block`);
    }
  }
  return problems;
}
