import { describe, expect, it } from 'vitest';
import { deriveGroupKey } from '../../../../src/sharing/keys.js';
import { pseudonymizeId } from '../../../../src/sharing/pseudonym.js';
import { mapIpv4, mapIpv6 } from '../../../../src/sharing/rules/r07-networks.js';
import { KEY, MASTER, isWithheld, run, servedOf } from '../support.js';
import { seededIndicator, seededSco } from '../../../support/builders.js';

const TEST_NET = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

describe('R7 networks: observables', () => {
  it('maps an address in a protected CIDR into documentation space with a new id', () => {
    const ip = seededSco('ipv4-addr', 'ip', { value: '185.51.201.17' });
    const r = run([ip]);
    expect(r.served[0]!.derivedId).toBe(pseudonymizeId(KEY, ip.id));
    expect(servedOf(r, ip.id).value).toMatch(TEST_NET);
  });

  it('maps consistently for a group and differently across groups', () => {
    const other = deriveGroupKey(MASTER, 'vendor-a', 1);
    expect(mapIpv4({ key: KEY }, '10.20.1.1')).toBe(mapIpv4({ key: KEY }, '10.20.1.1'));
    const values = ['10.20.1.1', '10.20.1.2', '10.20.1.3', '10.20.1.4'];
    expect(values.map((v) => mapIpv4({ key: KEY }, v))).not.toEqual(
      values.map((v) => mapIpv4({ key: other }, v)),
    );
  });

  it('maps a protected CIDR value to a documentation /24', () => {
    const ip = seededSco('ipv4-addr', 'cidr', { value: '10.20.0.0/16' });
    expect(servedOf(run([ip]), ip.id).value).toMatch(
      /^(192\.0\.2|198\.51\.100|203\.0\.113)\.0\/24$/,
    );
  });

  it('maps IPv6 into 2001:db8::/32', () => {
    const ip = seededSco('ipv6-addr', 'v6', { value: '2a01:5ec0:1000::25' });
    expect(servedOf(run([ip]), ip.id).value).toMatch(/^2001:db8:/);
    expect(mapIpv6({ key: KEY }, '2a01:5ec0:1000::/40')).toMatch(/^2001:db8:[0-9a-f:]+\/40$/);
  });

  it('leaves attacker addresses, domains and ids untouched', () => {
    const ip = seededSco('ipv4-addr', 'c2', { value: '203.0.113.50' });
    const d = seededSco('domain-name', 'c2d', { value: 'update-cdn-microsoft.net' });
    const r = run([ip, d]);
    expect(r.served.map((s) => s.json)).toEqual([JSON.stringify(ip), JSON.stringify(d)]);
  });

  it('maps protected domains and subdomains to .example', () => {
    const d = seededSco('domain-name', 'vd', { value: 'mail.kianpower.ir' });
    const h = seededSco('domain-name', 'vh', { value: 'scada-gw.kianpower.net' });
    const r = run([d, h]);
    expect(servedOf(r, d.id).value).toMatch(/^[a-z2-7]{8}\.example$/);
    expect(servedOf(r, h.id).value).toMatch(/^[a-z2-7]{8}\.example$/);
  });

  it('maps addresses of protected email domains and drops the display name', () => {
    const e = seededSco('email-addr', 'em', {
      value: 'd.karimi@kian-mail.co.ir',
      display_name: 'Dariush Karimi',
    });
    const out = servedOf(run([e]), e.id);
    expect(out.value).toMatch(/^[a-z2-7]{8}@[a-z2-7]{8}\.example$/);
    expect(out.display_name).toBeUndefined();
  });

  it('rewrites the host of a URL on a protected domain', () => {
    const u = seededSco('url', 'u', { value: 'https://portal.kianpower.ir/owa/auth.aspx' });
    expect(servedOf(run([u]), u.id).value).toMatch(
      /^https:\/\/[a-z2-7]{8}\.example\/owa\/auth\.aspx$/,
    );
  });

  it('maps protected AS numbers into the documentation range', () => {
    const as = seededSco('autonomous-system', 'as', { number: 204567, name: 'KIANPOWER-AS' });
    const out = servedOf(run([as]), as.id);
    expect(out.number).toBeGreaterThanOrEqual(64496);
    expect(out.number).toBeLessThanOrEqual(64511);
    expect(out.name).toBeUndefined();
  });
});

describe('R7 networks: patterns', () => {
  it('leaves an attacker-only pattern byte for byte', () => {
    const pattern =
      "[ipv4-addr:value = '203.0.113.50'] OR [domain-name:value = 'update-cdn-microsoft.net']";
    const i = seededIndicator('a', { pattern });
    expect(servedOf(run([i]), i.id).pattern).toBe(pattern);
  });

  it('removes a protected comparison from an OR (the indicator only narrows)', () => {
    const i = seededIndicator('or', {
      pattern: "[ipv4-addr:value = '203.0.113.50' OR ipv4-addr:value = '10.20.5.5']",
    });
    const r = run([i]);
    expect(servedOf(r, i.id).pattern).toBe("[ipv4-addr:value = '203.0.113.50']");
    expect(r.hits).toContainEqual({ rule: 'R7', path: 'pattern', operator: 'R', objectId: i.id });
  });

  it('removes a protected observation from an observation-level OR', () => {
    const i = seededIndicator('obs', {
      pattern:
        "[domain-name:value = 'evil.example.net'] OR [email-addr:value = 'ceo@kian-mail.co.ir']",
    });
    expect(servedOf(run([i]), i.id).pattern).toBe("[domain-name:value = 'evil.example.net']");
  });

  it('withholds when the protected comparison is under an AND', () => {
    const i = seededIndicator('and', {
      pattern:
        "[network-traffic:dst_ref.value = '203.0.113.50' AND network-traffic:src_ref.value = '10.20.5.5']",
    });
    expect(isWithheld(run([i]), i.id)).toBe(true);
  });

  it('withholds when nothing would remain', () => {
    const i = seededIndicator('only', { pattern: "[url:value = 'https://portal.kianpower.ir/']" });
    expect(isWithheld(run([i]), i.id)).toBe(true);
  });

  it('finds registry names in string constants (LIKE, MATCHES, IN)', () => {
    const i = seededIndicator('like', {
      pattern: "[file:name LIKE '%KianPowerCo%'] OR [file:name IN ('a.exe', 'b.exe')]",
    });
    expect(servedOf(run([i]), i.id).pattern).toBe("[file:name IN ('a.exe', 'b.exe')]");
  });

  it('withholds an indicator whose pattern does not parse', () => {
    const i = seededIndicator('bad', { pattern: '[ipv4-addr:value = ' });
    expect(isWithheld(run([i]), i.id)).toBe(true);
  });

  it('withholds a non-STIX pattern that names a protected value', () => {
    const snort = seededIndicator('snort', {
      pattern: 'alert tcp any any -> 185.51.200.9 445 (msg:"lateral";)',
      pattern_type: 'snort',
    });
    const yara = seededIndicator('yara', {
      pattern: 'rule x { strings: $a = "Kian Power" condition: $a }',
      pattern_type: 'yara',
    });
    const clean = seededIndicator('clean', {
      pattern: 'alert tcp any any -> 203.0.113.50 443 (msg:"c2";)',
      pattern_type: 'snort',
    });
    const r = run([snort, yara, clean]);
    expect(isWithheld(r, snort.id)).toBe(true);
    expect(isWithheld(r, yara.id)).toBe(true);
    expect(servedOf(r, clean.id).pattern).toBe(clean.pattern);
  });
});

describe('R7 networks: look-alikes', () => {
  it('maps a domain that spells a victim name whole, keeping it a valid domain', () => {
    const d = seededSco('domain-name', 'typo', { value: 'kianpower-login.com' });
    expect(servedOf(run([d]), d.id).value).toMatch(/^[a-z2-7]{8}\.example$/);
  });

  it('maps the host of a URL that spells a victim name', () => {
    const u = seededSco('url', 'typo-url', { value: 'https://kianpowerco-vpn.com/remote/login' });
    expect(servedOf(run([u]), u.id).value).toMatch(
      /^https:\/\/[a-z2-7]{8}\.example\/remote\/login$/,
    );
  });
});

describe('R7 networks: address prefixes in LIKE and MATCHES', () => {
  it('treats a LIKE prefix of a protected network as protected', () => {
    const i = seededIndicator('like-prefix', {
      pattern: "[ipv4-addr:value = '203.0.113.50'] OR [ipv4-addr:value LIKE '185.51.%']",
    });
    expect(servedOf(run([i]), i.id).pattern).toBe("[ipv4-addr:value = '203.0.113.50']");
  });

  it('treats a MATCHES prefix of a protected network as protected', () => {
    const i = seededIndicator('matches-prefix', {
      pattern: "[ipv4-addr:value MATCHES '^10\\\\.20\\\\.']",
    });
    expect(isWithheld(run([i]), i.id)).toBe(true);
  });

  it('keeps a LIKE prefix outside protected networks', () => {
    const pattern = "[ipv4-addr:value LIKE '203.0.113.%']";
    const i = seededIndicator('like-attacker', { pattern });
    expect(servedOf(run([i]), i.id).pattern).toBe(pattern);
  });
});

describe('R7 networks: wildcard domains and emails', () => {
  it('treats LIKE patterns on protected domains and email domains as protected', () => {
    const i = seededIndicator('like-dom', {
      pattern:
        "[domain-name:value LIKE '%.kianpower.ir'] OR [email-addr:value LIKE '%@kian-mail.co.ir'] OR [domain-name:value = 'evil.example.net']",
    });
    expect(servedOf(run([i]), i.id).pattern).toBe("[domain-name:value = 'evil.example.net']");
  });
});

describe('R7 networks: sets and comments', () => {
  it('takes a protected element out of an IN set and keeps the attacker values', () => {
    const i = seededIndicator('in-set', {
      pattern: "[ipv4-addr:value IN ('203.0.113.50', '10.20.1.1', '198.51.100.9')]",
    });
    expect(servedOf(run([i]), i.id).pattern).toBe(
      "[ipv4-addr:value IN ('203.0.113.50', '198.51.100.9')]",
    );
  });

  it('withholds a NOT IN naming a protected value outside an OR (taking it out would widen)', () => {
    const i = seededIndicator('not-in', {
      pattern: "[ipv4-addr:value NOT IN ('10.20.1.1', '203.0.113.50')]",
    });
    expect(isWithheld(run([i]), i.id)).toBe(true);
  });

  it('publishes a pattern with comments in canonical form, without the comments', () => {
    const i = seededIndicator('comment', {
      pattern: "[ipv4-addr:value = '203.0.113.50'] /* from the KPC incident ticket 4411 */",
    });
    const out = servedOf(run([i]), i.id).pattern as string;
    expect(out).toBe("[ipv4-addr:value = '203.0.113.50']");
  });
});
