import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalIp,
  cidrContains,
  createCidrMatcher,
  mapDomainToDocumentation,
  mapEmailToDocumentation,
  mapIpToDocumentation,
  mapToDocumentationSpace,
  parseCidr,
  parseIp,
  parseIpv6,
} from '../../../../src/sharing/redaction/ip-ranges.js';

const hmacA = (input: string): Buffer => createHmac('sha256', 'key-a').update(input).digest();
const hmacB = (input: string): Buffer => createHmac('sha256', 'key-b').update(input).digest();

function contains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const a = parseIp(ip);
  if (c === null || a === null) throw new Error('bad fixture');
  return cidrContains(c, a);
}

describe('parsing', () => {
  it('parses IPv4 and IPv6 text forms', () => {
    expect(parseIp('10.20.3.4')).toEqual({ version: 4, value: 0x0a140304n });
    expect(parseIpv6('::')).toBe(0n);
    expect(parseIpv6('::1')).toBe(1n);
    expect(parseIpv6('fd00:20::1%eth0')).toBe((0xfd000020n << 96n) | 1n);
    expect(parseIpv6('::ffff:10.20.3.4')).toBe((0xffffn << 32n) | 0x0a140304n);
  });

  it('rejects what is not an address', () => {
    for (const bad of [
      '10.20.3',
      '256.1.1.1',
      '1.2.3.4.5',
      '1::2::3',
      '12345::',
      '10:20:30',
      'abc',
    ]) {
      expect(parseIp(bad)).toBeNull();
    }
  });

  it('formats IPv6 canonically (RFC 5952)', () => {
    expect(canonicalIp({ version: 6, value: parseIpv6('2001:0DB8:0:0:1:0:0:1') ?? 0n })).toBe(
      '2001:db8::1:0:0:1',
    );
    expect(canonicalIp({ version: 6, value: parseIpv6('fd00:0:0:0:0:0:0:0') ?? 0n })).toBe(
      'fd00::',
    );
  });
});

describe('CIDR containment', () => {
  it('contains addresses inside the prefix only', () => {
    expect(contains('10.20.0.0/16', '10.20.255.1')).toBe(true);
    expect(contains('10.20.0.0/16', '10.21.0.1')).toBe(false);
    expect(contains('fd00:20::/32', 'fd00:20:ffff::9')).toBe(true);
    expect(contains('fd00:20::/32', 'fd00:21::9')).toBe(false);
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true);
  });

  it('counts IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(contains('10.20.0.0/16', '::ffff:10.20.3.4')).toBe(true);
  });

  it('treats a bare address as a single host', () => {
    expect(contains('172.16.5.9', '172.16.5.9')).toBe(true);
    expect(contains('172.16.5.9', '172.16.5.10')).toBe(false);
  });

  it('returns the most specific owner and reports invalid ranges', () => {
    const { matcher, invalid } = createCidrMatcher([
      { cidr: '10.0.0.0/8', owner: 'wide' },
      { cidr: '10.20.0.0/16', owner: 'narrow' },
      { cidr: '10.300.0.0/16', owner: 'typo' },
    ]);
    expect(matcher.lookup('10.20.1.1')).toBe('narrow');
    expect(matcher.lookup('10.99.1.1')).toBe('wide');
    expect(matcher.lookup('192.168.1.1')).toBeUndefined();
    expect(matcher.lookup('::ffff:10.20.1.1')).toBe('narrow');
    expect(invalid).toEqual(['10.300.0.0/16']);
  });
});

describe('documentation space (R7)', () => {
  it('maps IPv4 into 192.0.2.0/24, the same way each time', () => {
    const a = mapIpToDocumentation('10.20.3.4', hmacA);
    expect(a).toMatch(/^192\.0\.2\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$/);
    expect(mapIpToDocumentation('10.20.3.4', hmacA)).toBe(a);
    expect(mapIpToDocumentation('010.020.003.004', hmacA)).toBe(a);
  });

  it('maps IPv6 into 2001:db8::/32', () => {
    const m = mapIpToDocumentation('fd00:20::1', hmacA) ?? '';
    expect(contains('2001:db8::/32', m)).toBe(true);
    expect(mapIpToDocumentation('fd00:20:0::1', hmacA)).toBe(m);
  });

  it('maps networks into documentation networks', () => {
    expect(mapIpToDocumentation('10.20.0.0/16', hmacA)).toBe('192.0.2.0/24');
    const small = mapIpToDocumentation('10.20.3.0/28', hmacA) ?? '';
    expect(small).toMatch(/^192\.0\.2\.[0-9]+\/28$/);
    expect(contains('192.0.2.0/24', small.split('/')[0] ?? '')).toBe(true);
    expect(mapIpToDocumentation('fd00:20::/48', hmacA)).toMatch(/^2001:db8:[0-9a-f:]+\/48$/);
  });

  it('returns null for what is not an address', () => {
    expect(mapIpToDocumentation('moe.gov.example', hmacA)).toBeNull();
  });

  it('maps domains to <label>.example, keeping subdomains related', () => {
    const base = mapDomainToDocumentation('moe.gov.example', hmacA, 'moe.gov.example');
    expect(base).toMatch(/^[a-z]{8}\.example$/);
    const sub = mapDomainToDocumentation('MAIL.moe.gov.example.', hmacA, 'moe.gov.example');
    expect(sub).toMatch(/^[a-z]{8}\.[a-z]{8}\.example$/);
    expect(sub.endsWith(base)).toBe(true);
  });

  it('gives different audiences different mappings', () => {
    expect(mapDomainToDocumentation('moe.gov.example', hmacA)).not.toBe(
      mapDomainToDocumentation('moe.gov.example', hmacB),
    );
  });

  it('maps emails to <label>@<mapped domain>', () => {
    const m = mapEmailToDocumentation('Ali.Rezaei@moe.gov.example', hmacA, 'moe.gov.example');
    expect(m).toBe(`${m.split('@')[0]}@${mapDomainToDocumentation('moe.gov.example', hmacA)}`);
    expect(m).toMatch(/^[a-z]{8}@[a-z]{8}\.example$/);
  });

  it('dispatches by STIX type', () => {
    expect(mapToDocumentationSpace('ipv4-addr', '10.20.3.4', hmacA)).toBe(
      mapIpToDocumentation('10.20.3.4', hmacA),
    );
    expect(mapToDocumentationSpace('domain-name', 'moe.gov.example', hmacA)).toBe(
      mapDomainToDocumentation('moe.gov.example', hmacA),
    );
    expect(mapToDocumentationSpace('email-addr', 'no-at-sign', hmacA)).toBeNull();
  });
});
