import { describe, expect, it } from 'vitest';
import {
  normalizeDomain,
  overlaps,
  parseIp,
  parseNetwork,
  sectorChain,
} from '../../../src/sharing/registry-index.js';
import { PREPARED } from './support.js';

describe('registry index', () => {
  const index = PREPARED.index;

  it('finds addresses and overlapping CIDRs inside protected networks', () => {
    expect(index.networkOwner('10.20.4.5')?.id).toBe('kian-power');
    expect(index.networkOwner('185.51.203.255')?.id).toBe('kian-power');
    expect(index.networkOwner('185.51.204.0')).toBeUndefined();
    expect(index.networkOwner('10.0.0.0/8')?.id).toBe('kian-power');
    expect(index.networkOwner('2a01:5ec0:1fff::1')?.id).toBe('kian-power');
    expect(index.networkOwner('2a01:5ec0:2000::1')).toBeUndefined();
    expect(index.networkOwner('not an ip')).toBeUndefined();
  });

  it('finds domains, subdomains and hostnames, case- and dot-insensitively', () => {
    expect(index.domainOwner('KianPower.IR.')?.id).toBe('kian-power');
    expect(index.domainOwner('a.b.kianpower.ir')?.id).toBe('kian-power');
    expect(index.domainOwner('scada-gw.kianpower.net')?.id).toBe('kian-power');
    expect(index.domainOwner('kianpower.net')).toBeUndefined();
    expect(index.domainOwner('notkianpower.ir')).toBeUndefined();
  });

  it('finds email addresses by their domain', () => {
    expect(index.emailOwner('x@kian-mail.co.ir')?.id).toBe('kian-power');
    expect(index.emailOwner('x@sub.kianpower.ir')?.id).toBe('kian-power');
    expect(index.emailOwner('x@gmail.com')).toBeUndefined();
  });

  it('counts constituents per sector label up the ladder', () => {
    expect(index.sectorCount('electric-utility')).toBe(2);
    expect(index.sectorCount('energy')).toBe(4);
    expect(index.sectorCount('critical-infrastructure')).toBe(5);
    expect(index.sectorCount('finance')).toBe(1);
  });

  it('follows the ladder without looping', () => {
    expect(sectorChain({ a: 'b', b: 'a' }, 'a')).toEqual(['a', 'b']);
  });
});

describe('address parsing', () => {
  it('parses IPv4 and refuses out-of-range octets', () => {
    expect(parseIp('192.0.2.1')).toEqual({ version: 4, value: 0xc0000201n });
    expect(parseIp('256.0.0.1')).toBeUndefined();
  });

  it('parses IPv6 with compression and an embedded IPv4', () => {
    expect(parseIp('::1')?.value).toBe(1n);
    expect(parseIp('2001:db8::')?.value).toBe(0x20010db8n << 96n);
    expect(parseIp('::ffff:192.0.2.1')?.value).toBe((0xffffn << 32n) | 0xc0000201n);
    expect(parseIp('1:2:3:4:5:6:7:8')?.value).toBe(0x00010002000300040005000600070008n);
    expect(parseIp('1::2::3')).toBeUndefined();
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeUndefined();
  });

  it('parses networks and tells overlap', () => {
    const a = parseNetwork('10.20.0.0/16')!;
    expect(overlaps(a, parseNetwork('10.20.9.9')!)).toBe(true);
    expect(overlaps(a, parseNetwork('10.0.0.0/8')!)).toBe(true);
    expect(overlaps(a, parseNetwork('10.21.0.0/16')!)).toBe(false);
    expect(overlaps(a, parseNetwork('::a14:0/112')!)).toBe(false);
    expect(parseNetwork('10.0.0.0/33')).toBeUndefined();
  });

  it('normalizes domain names to lowercase ASCII', () => {
    expect(normalizeDomain('Example.COM.')).toBe('example.com');
    expect(normalizeDomain('bücher.example')).toBe('xn--bcher-kva.example');
    expect(normalizeDomain('not a domain')).toBeUndefined();
  });
});
