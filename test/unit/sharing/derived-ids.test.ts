// R4 by brute force: SCO ids are UUIDv5 over their id-contributing properties (STIX 2.1 §6),
// so a partner can try every address of a protected network, and every registry value,
// against what it was served. No served id may equal an id computed from a guess plus the
// served properties, and two groups never share the id of a rewritten SCO.
import { v5 as uuidPackageV5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { deriveGroupKey } from '../../../src/sharing/keys.js';
import { formatIpv4, parseCidr } from '../../../src/sharing/redaction/ip-ranges.js';
import { canonical, scoId } from '../../support/sco-ids.js';
import { KIAN, MASTER, REGISTRY, run, type Obj } from './support.js';

function sco(type: string, props: Record<string, unknown>): Obj {
  return { type, spec_version: '2.1', id: scoId(type, props), ...props } as Obj;
}

// Victim side: two addresses of the /16, one served as an SCO, one only referenced by a flow
// whose address object is withheld by type; a directory with the employee's name; the
// attacker's address and domain.
const victimA = sco('ipv4-addr', { value: '10.20.4.5' });
const victimB = sco('ipv4-addr', { value: '185.51.201.3' });
const attacker = sco('ipv4-addr', { value: '203.0.113.50' });
const victimDomain = sco('domain-name', { value: 'portal.kianpower.ir' });
const attackerDomain = sco('domain-name', { value: 'update-kian-cdn.net' });
const flowA = sco('network-traffic', {
  src_ref: victimA.id,
  dst_ref: attacker.id,
  dst_port: 443,
  protocols: ['ipv4', 'tcp'],
});
const flowB = sco('network-traffic', {
  src_ref: victimB.id,
  dst_ref: attacker.id,
  dst_port: 8443,
  protocols: ['ipv4', 'tcp'],
});
const dir = sco('directory', { path: 'C:\\Users\\Dariush Karimi\\Downloads' });
const file = sco('file', { name: 'invoice.pdf.exe', parent_directory_ref: dir.id });
const OBJECTS = [victimA, victimB, attacker, victimDomain, attackerDomain, flowA, flowB, dir, file];
const VICTIM_SCOS = [victimA, victimB, victimDomain, flowA, flowB, dir, file];

/** Every address of every protected IPv4 network of /16 or narrower. */
function* guessedAddresses(): Generator<string> {
  for (const entity of REGISTRY.entities) {
    for (const text of entity.cidrs) {
      const cidr = parseCidr(text);
      if (cidr === null || cidr.version !== 4 || cidr.prefix < 16) continue;
      const size = 1n << BigInt(32 - cidr.prefix);
      for (let k = 0n; k < size; k++) yield formatIpv4(cidr.base + k);
    }
  }
}

function registryValues(): string[] {
  return REGISTRY.entities.flatMap((e) => [
    ...e.domains,
    ...e.hostnames,
    ...e.emailDomains,
    ...e.domains.map((d) => `portal.${d}`),
    ...e.persons.map((p) => `C:\\Users\\${p}\\Downloads`),
  ]);
}

describe('derived SCO ids under brute force', () => {
  const served = run(OBJECTS).served.map((s) => JSON.parse(s.json) as Obj);
  const servedIds = new Set(served.map((o) => o.id));

  it('re-derives every SCO whose contributing properties changed, directly or by reference', () => {
    for (const o of VICTIM_SCOS) expect(servedIds.has(o.id), o.type).toBe(false);
    expect(servedIds.has(attacker.id)).toBe(true);
    expect(servedIds.has(attackerDomain.id)).toBe(true);
  });

  it('recovers no id from any address of the protected networks or any registry value', () => {
    let guesses = 0;
    let recovered = 0;
    const flows = served.filter((o) => o.type === 'network-traffic');
    const files = served.filter((o) => o.type === 'file');
    const check = (id: string): void => {
      guesses++;
      if (servedIds.has(id)) recovered++;
    };
    for (const address of guessedAddresses()) {
      const guessed = scoId('ipv4-addr', { value: address });
      check(guessed);
      // A flow's id with the guessed address in place of either served reference.
      for (const f of flows) {
        check(scoId('network-traffic', { ...f, src_ref: guessed }));
        check(scoId('network-traffic', { ...f, dst_ref: guessed }));
      }
    }
    for (const value of registryValues()) {
      check(scoId('domain-name', { value }));
      check(scoId('directory', { path: value }));
      for (const f of files) {
        check(scoId('file', { ...f, parent_directory_ref: scoId('directory', { path: value }) }));
      }
    }
    expect(guesses).toBeGreaterThan(65_536 + 1024);
    expect(recovered).toBe(0);
    // ~340,000 SHA-1s: seconds on a loaded machine.
  }, 120_000);

  it('computes ids as STIX producers do (the guesses are real ids)', () => {
    const name = canonical({ value: '10.20.4.5' });
    expect(scoId('ipv4-addr', { value: '10.20.4.5' })).toBe(
      `ipv4-addr--${uuidPackageV5(name, '00abedb4-aa42-466c-9c01-fed23315a9b7')}`,
    );
  });

  it('never gives two groups the same id for a rewritten SCO', () => {
    const other = run(OBJECTS, {}, undefined, deriveGroupKey(MASTER, 'vendor-a', 1));
    const rewritten = (ids: Set<string>): string[] =>
      [...ids].filter((id) => !OBJECTS.some((o) => o.id === id));
    const theirs = new Set(other.served.map((s) => s.derivedId));
    const mine = rewritten(servedIds);
    expect(mine.length).toBe(VICTIM_SCOS.length);
    for (const id of mine) expect(theirs.has(id)).toBe(false);
  });

  it('keeps the protected /16 in the registry this test walks', () => {
    expect(KIAN.cidrs).toContain('10.20.0.0/16');
  });
});

describe('the mapping space', () => {
  it('maps every victim address into the one pseudonym network, never a protected one', () => {
    const victims = Array.from({ length: 200 }, (_, k) =>
      sco('ipv4-addr', { value: `10.20.${k}.${k % 250}` }),
    );
    const result = run(victims);
    expect(result.withheld).toEqual([]);
    for (const s of result.served) {
      const value = (JSON.parse(s.json) as { value: string }).value;
      expect(value).toMatch(/^192\.0\.2\.(?:[1-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-4])$/);
    }
  });

  it('never rewrites an attacker address, even in documentation space', () => {
    const doc = sco('ipv4-addr', { value: '192.0.2.77' });
    expect(run([doc]).served[0]!.json).toBe(JSON.stringify(doc));
  });
});
