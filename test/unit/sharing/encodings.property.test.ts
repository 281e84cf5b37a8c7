// Property: registry values planted into random fields of random STIX objects under random
// compositions of encodings never leave in any form (neither the value nor its encoded
// spelling appears in the served bytes), while attacker values planted the same way leave
// byte for byte. The oracle does not use the engine's decoder: it looks for the exact
// strings it planted.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run, type Obj } from './support.js';
import { seededMalware, seededNote, seededSco } from '../../support/builders.js';

const SECRETS = [
  'Kian Power Company',
  'شرکت برق کیان',
  'Dariush Karimi',
  'kianpower.ir',
  'scada-gw.kianpower.net',
  'd.karimi@kian-mail.co.ir',
  '10.20.4.5',
  '185.51.201.3',
  'AS204567',
];
const ATTACKER = ['203.0.113.50', 'evil-update-cdn.net', 'http://203.0.113.50/gate.php', 'AS13335'];

type Encoder = { name: string; encode: (s: string) => string };
const bytesOf = (s: string): Buffer => Buffer.from(s, 'utf8');
const ENCODERS: Encoder[] = [
  { name: 'base64', encode: (s) => bytesOf(s).toString('base64') },
  { name: 'base64url', encode: (s) => bytesOf(s).toString('base64url') },
  { name: 'utf16le-base64', encode: (s) => Buffer.from(s, 'utf16le').toString('base64') },
  { name: 'gzip-base64', encode: (s) => gzipSync(bytesOf(s)).toString('base64') },
  { name: 'hex', encode: (s) => bytesOf(s).toString('hex') },
  {
    name: 'percent',
    encode: (s) => [...bytesOf(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  },
  {
    name: '\\x',
    encode: (s) => [...bytesOf(s)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''),
  },
  {
    name: '&#x;',
    encode: (s) => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
  },
  {
    name: 'fromCharCode',
    encode: (s) => `String.fromCharCode(${[...s].map((c) => c.charCodeAt(0)).join(',')})`,
  },
  {
    name: 'quoted-printable',
    encode: (s) =>
      [...bytesOf(s)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  },
];
const FIELDS = [
  'malware.description',
  'malware.name',
  'note.content',
  'process.command_line',
] as const;

const encoding = fc.array(fc.constantFrom(...ENCODERS), { minLength: 1, maxLength: 3 });
const wrapper = fc.constantFrom(
  (x: string) => `powershell -enc ${x}`,
  (x: string) => `[Convert]::FromBase64String('${x}')`,
  (x: string) => `data:text/plain;base64,${x}`,
  (x: string) => `observed: ${x} (second stage)`,
  (x: string) => x,
);
const planted = fc.record({
  value: fc.constantFrom(...SECRETS, ...ATTACKER),
  encoders: encoding,
  wrap: wrapper,
  field: fc.constantFrom(...FIELDS),
  seed: fc.nat(1_000_000),
});

function objectWith(field: (typeof FIELDS)[number], text: string, seed: number): Obj {
  const s = `enc-${seed}`;
  switch (field) {
    case 'malware.description':
      return seededMalware(s, { description: text });
    case 'malware.name':
      return seededMalware(s, { name: text });
    case 'note.content':
      return seededNote(s, [seededMalware('target').id], { content: text });
    case 'process.command_line':
      return seededSco('process', s, { command_line: text });
  }
}

describe('planted values under composed encodings', () => {
  it('never serve a registry value in any encoding; attacker values leave byte for byte', () => {
    const used = new Set<string>();
    fc.assert(
      fc.property(planted, ({ value, encoders, wrap, field, seed }) => {
        const encoded = encoders.reduce((s, e) => e.encode(s), value);
        used.add(encoders.map((e) => e.name).join('∘'));
        const obj = objectWith(field, wrap(encoded), seed);
        // The note's target is served with it (references must resolve).
        const result = run([seededMalware('target'), obj]);
        const served = result.served.find((s) => s.originalId === obj.id)?.json;
        if (ATTACKER.includes(value)) {
          expect(served).toBe(JSON.stringify(obj));
          return;
        }
        if (served === undefined) return; // withheld whole: nothing left
        const text = JSON.parse(served) as Record<string, unknown>;
        const strings = JSON.stringify(text);
        expect(strings).not.toContain(value);
        expect(strings).not.toContain(encoded);
        expect(strings).not.toContain(JSON.stringify(encoded).slice(1, -1));
      }),
      { numRuns: 120, seed: 9 },
    );
    expect(used.size).toBeGreaterThan(40);
  }, 120_000);
});
