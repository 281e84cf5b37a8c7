// Property-based tests of the engine (fast-check): random STIX objects with protected terms
// planted in random string fields, in random spellings → no protected term in any derived
// byte; the attacker's indicators unchanged; every served object valid; same input, same bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../../src/sharing/policy.js';
import { CERT_ID, KIAN_IDENTITY, VALIDATOR, run, type Obj } from './support.js';
import {
  seededIdentity,
  seededIndicator,
  seededMalware,
  seededNote,
  seededRelationship,
  seededReport,
  seededSco,
  seededSighting,
} from '../../support/builders.js';

// ---------------------------------------------------------------------------------------
// Protected terms and their spellings

const LATIN_TERMS = [
  'Kian Power Company',
  'Kian Power',
  'KianPowerCo',
  'Dariush Karimi',
  'Bright Grid Holding',
  'Gilan Gas Transmission',
];
const ACRONYMS = ['KPC'];
const PERSIAN_TERMS = ['شرکت برق کیان', 'برق کیان', 'داریوش کریمی', 'هلدینگ شبکه روشن'];
const DOMAINS = ['kianpower.ir', 'portal.kianpower.ir', 'scada-gw.kianpower.net'];
const EMAILS = ['d.karimi@kian-mail.co.ir', 'soc@kianpower.ir'];
const ADDRESSES = ['10.20.4.5', '185.51.201.3', '10.20.255.1'];

const latinSpelling = (term: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('same', 'lower', 'upper'),
      fc.constantFrom(' ', '-', '_', '', '  ', '\u00a0'),
    )
    .map(([cased, sep]) => {
      const t =
        cased === 'lower' ? term.toLowerCase() : cased === 'upper' ? term.toUpperCase() : term;
      return t.split(' ').join(sep);
    });

const ARABIC_FORMS: Record<string, string> = { ی: 'ي', ک: 'ك' };
const persianSpelling = (term: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: term.length, maxLength: term.length }),
      fc.constantFrom(' ', '\u200c', '', ' \u200c'),
      fc.constantFrom('', '\u0640', '\u064e', '\u0650', '\u200f', '\u200d'),
      fc.nat(),
      fc.boolean(),
    )
    .map(([arabic, sep, inserted, at, bidi]) => {
      let chars = [...term]
        .map((c, i) => (arabic[i] && ARABIC_FORMS[c] ? ARABIC_FORMS[c] : c))
        .join('');
      chars = chars.split(' ').join(sep);
      const letters = [...chars];
      // Insert after a letter (never first), where tatweel/diacritics/controls may sit.
      const pos = 1 + (at % Math.max(1, letters.length - 1));
      if (letters[pos - 1] !== ' ' && letters[pos - 1] !== '\u200c')
        letters.splice(pos, 0, inserted);
      const text = letters.join('');
      return bidi ? `\u202b${text}\u202c` : text;
    });

const domainSpelling = (d: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    d,
    d.toUpperCase(),
    d.replace(/\./g, '[.]'),
    `https://${d}/login`,
    `hxxps://${d.replace(/\./g, '[.]')}/a`,
  );

const protectedSpelling: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...LATIN_TERMS).chain(latinSpelling),
  fc.constantFrom(...ACRONYMS),
  fc.constantFrom(...PERSIAN_TERMS).chain(persianSpelling),
  fc.constantFrom(...DOMAINS).chain(domainSpelling),
  fc.constantFrom(...EMAILS),
  fc
    .constantFrom(...ADDRESSES)
    .chain((ip) =>
      fc.constantFrom(ip, ip.replace(/\./g, '[.]'), toPersianDigits(ip), `hxxp://${ip}/x`),
    ),
);

function toPersianDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

const FILLER = [
  'beacon',
  'loader',
  'stage two',
  'dropper',
  'c2 traffic',
  'lateral movement',
  'حمله',
  'بدافزار',
  'گزارش',
  '—',
  '(',
  ')',
  ':',
];
const filler = fc.array(fc.constantFrom(...FILLER), { maxLength: 4 }).map((w) => w.join(' '));
const plantedText = fc
  .tuple(filler, protectedSpelling, filler)
  .map(([a, t, b]) => `${a} ${t} ${b}`.trim());

// ---------------------------------------------------------------------------------------
// Independent oracle: compact skeletons (lowercase, letters/digits only, Arabic forms folded).

const SKELETON_FOLD: Record<string, string> = { ي: 'ی', ك: 'ک', ى: 'ی', ة: 'ه' };
function asciiDigits(text: string): string {
  return text
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}
function skeleton(text: string): string {
  return [...asciiDigits(text).normalize('NFKC').toLowerCase()]
    .map((c) => SKELETON_FOLD[c] ?? c)
    .filter((c) => /[\p{L}\p{N}]/u.test(c) && !/[\u064b-\u065f\u0640]/.test(c))
    .join('');
}

const FORBIDDEN = [
  ...LATIN_TERMS.map(skeleton),
  ...PERSIAN_TERMS.map(skeleton),
  'شرکهبرقکیان',
  ...DOMAINS.map(skeleton),
  ...EMAILS.map(skeleton),
];
const FORBIDDEN_WORDS = [...ACRONYMS.map((a) => a.toLowerCase()), ...ADDRESSES];

/** Every string value of a served object except ids and references, minus our own pseudonyms. */
function servedText(obj: unknown, key = ''): string[] {
  if (typeof obj === 'string') {
    if (key === 'id' || key.endsWith('_ref') || key.endsWith('_refs')) return [];
    return [obj.replace(/Victim-[A-Z2-7]{8}/g, ' ').replace(/[a-z2-7]{8}(@|\.example)/g, ' ')];
  }
  if (Array.isArray(obj)) return obj.flatMap((v) => servedText(v, key));
  if (obj && typeof obj === 'object')
    return Object.entries(obj).flatMap(([k, v]) => [k, ...servedText(v, k)]);
  return [];
}

function leaks(obj: unknown): string[] {
  const found: string[] = [];
  for (const text of servedText(obj)) {
    const sk = skeleton(text);
    for (const f of FORBIDDEN) if (sk.includes(f)) found.push(f);
    const words = asciiDigits(text.replace(/\[\.\]/g, '.'))
      .toLowerCase()
      .split(/[^\p{L}\p{N}.]+/u)
      .map((w) => w.replace(/^\.+|\.+$/g, ''));
    for (const w of FORBIDDEN_WORDS) if (words.includes(w)) found.push(w);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// Random incidents

const ATTACKER_PATTERN =
  "[ipv4-addr:value = '203.0.113.50'] OR [domain-name:value = 'update-cdn-microsoft.net']";

interface Slots {
  name: string;
  description: string;
  label: string;
  refDescription: string;
  noteContent: string;
  fileName: string;
  commandLine: string;
  registryKey: string;
  subject: string;
  domainValue: string;
  ipValue: string;
}

const slotValue = fc.oneof(
  { weight: 1, arbitrary: plantedText },
  { weight: 1, arbitrary: filler.map((f) => f || 'sample') },
);
const slots: fc.Arbitrary<Slots> = fc.record({
  name: slotValue,
  description: slotValue,
  label: slotValue,
  refDescription: slotValue,
  noteContent: slotValue,
  fileName: slotValue,
  commandLine: slotValue,
  registryKey: slotValue,
  subject: slotValue,
  domainValue: fc.oneof(fc.constantFrom(...DOMAINS), fc.constant('update-cdn-microsoft.net')),
  ipValue: fc.oneof(fc.constantFrom(...ADDRESSES), fc.constant('198.51.100.23')),
});

function incident(s: Slots, seed: number): { objects: Obj[]; attacker: Obj[] } {
  const tag = String(seed);
  const victim = seededIdentity(`v${tag}`, {
    id: KIAN_IDENTITY,
    name: s.name,
    description: s.description,
    sectors: ['utilities'],
  });
  const cert = seededIdentity(`c${tag}`, { id: CERT_ID, name: 'Example National CERT' });
  const attackerIndicator = seededIndicator(`ai${tag}`, {
    name: 'C2',
    pattern: ATTACKER_PATTERN,
    created_by_ref: CERT_ID,
  });
  const attackerIp = seededSco('ipv4-addr', `aip${tag}`, { value: '203.0.113.50' });
  const malware = seededMalware(`m${tag}`, {
    name: 'ShadowPad',
    description: s.description,
    labels: [s.label],
    created_by_ref: KIAN_IDENTITY,
    external_references: [
      { source_name: 'mitre-attack', external_id: 'S0596', description: s.refDescription },
    ],
  });
  const victimIndicator = seededIndicator(`vi${tag}`, {
    name: s.name,
    pattern: `[ipv4-addr:value = '203.0.113.50' OR ipv4-addr:value = '${s.ipValue}']`,
  });
  const file = seededSco('file', `f${tag}`, { name: s.fileName });
  const process = seededSco('process', `p${tag}`, {
    command_line: s.commandLine,
    image_ref: file.id,
  });
  const regKey = seededSco('windows-registry-key', `r${tag}`, {
    key: `HKEY_LOCAL_MACHINE\\Software\\${s.registryKey}`,
  });
  const domain = seededSco('domain-name', `d${tag}`, { value: s.domainValue });
  const ip = seededSco('ipv4-addr', `ip${tag}`, { value: s.ipValue });
  const email = seededSco('email-message', `e${tag}`, {
    is_multipart: false,
    subject: s.subject,
    body: s.description,
  });
  const note = seededNote(`n${tag}`, [malware.id], {
    content: s.noteContent,
    abstract: s.name,
    authors: [s.name],
  });
  const sighting = seededSighting(`s${tag}`, attackerIndicator.id, {
    where_sighted_refs: [KIAN_IDENTITY],
    count: 17,
    description: s.description,
  });
  const rel = seededRelationship(`rel${tag}`, malware.id, KIAN_IDENTITY, 'targets', {
    description: s.description,
  });
  const report = seededReport(
    `rep${tag}`,
    [
      victim.id,
      malware.id,
      attackerIndicator.id,
      victimIndicator.id,
      rel.id,
      file.id,
      process.id,
      regKey.id,
      domain.id,
      ip.id,
      email.id,
    ],
    {
      name: s.name,
      description: s.description,
    },
  );
  const objects = [
    cert,
    victim,
    attackerIndicator,
    attackerIp,
    malware,
    victimIndicator,
    file,
    process,
    regKey,
    domain,
    ip,
    email,
    note,
    sighting,
    rel,
    report,
  ];
  return { objects, attacker: [attackerIndicator, attackerIp] };
}

const policy = makePolicy({ id: 'prop', tlpCeiling: 'amber' });

describe('sharing engine properties', () => {
  it('leaks no protected term in any spelling, keeps attacker indicators, serves only valid objects, deterministically', () => {
    fc.assert(
      fc.property(slots, fc.nat(1000), (s, seed) => {
        const { objects, attacker } = incident(s, seed);
        const before = JSON.stringify(objects);
        const first = run(objects, {}, policy);
        const second = run(objects, {}, policy);
        // The input is never modified.
        expect(JSON.stringify(objects)).toBe(before);
        // Determinism: same input, same bytes.
        expect(second.served.map((x) => x.json)).toEqual(first.served.map((x) => x.json));
        for (const served of first.served) {
          const parsed: unknown = JSON.parse(served.json);
          expect(leaks(parsed), served.json).toEqual([]);
          expect(VALIDATOR.validateObject(parsed, { mode: 'permissive' })).toEqual({ ok: true });
        }
        // Not vacuous: the objects that carry the planted terms are served, redacted.
        for (const o of objects.filter((x) =>
          ['identity', 'malware', 'note', 'sighting', 'relationship', 'report', 'file'].includes(
            x.type,
          ),
        )) {
          expect(
            first.served.some((x) => x.originalId === o.id),
            `${o.type} withheld: ${JSON.stringify(first.withheld)}`,
          ).toBe(true);
        }
        // The attacker's side leaves byte for byte.
        for (const a of attacker) {
          expect(first.served.find((x) => x.originalId === a.id)?.json).toBe(JSON.stringify(a));
        }
      }),
      { numRuns: 60, seed: 20261127 },
    );
  }, 120_000);

  it('has an oracle that sees every planted spelling in the raw text', () => {
    fc.assert(
      fc.property(plantedText, (text) => {
        expect(leaks({ description: text }).length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('finds every planted spelling in free text', () => {
    fc.assert(
      fc.property(plantedText, (text) => {
        const m = seededMalware('free', { description: text });
        const r = run([m], {}, policy);
        for (const served of r.served) expect(leaks(JSON.parse(served.json)), text).toEqual([]);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
