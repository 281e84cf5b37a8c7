import { describe, expect, it } from 'vitest';
import { createTextRedactor, encodePunycode } from '../../../../src/sharing/redaction/index.js';
import { LABELS, REGISTRY, labelFor, redacted, redactor } from './fixtures.js';

const MOE = LABELS.moe ?? '';
const PARSIA = LABELS.parsia ?? '';

/** \uXXXX-escapes every non-ASCII character, as JSON.stringify with ASCII output would. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

describe('Persian spelling variants', () => {
  it.each([
    ['Persian letters', 'وزارت نیرو'],
    ['Arabic yeh', 'وزارت نيرو'],
    ['ZWNJ instead of space', 'وزارت\u200cنیرو'],
    ['no space', 'وزارتنیرو'],
    ['several spaces and a newline', 'وزارت  \n نیرو'],
    ['diacritics', 'وَزارَتِ نِیرو'],
    ['tatweel', 'وزارتـــ نیــرو'],
    ['bidi controls inside', 'وزا\u200fرت \u202bنی\u2066رو'],
    ['Arabic teh marbuta spelling', 'وزارة نيرو'],
    ['Arabic-script presentation forms', 'ﻭﺯﺍﺭﺕ ﻧﯿﺮﻭ'],
  ])('redacts the ministry name written with %s', (_what, spelling) => {
    expect(redacted(`حمله به ${spelling} در دیماه`)).toBe(`حمله به ${MOE} در دیماه`);
  });

  it('leaves a bidi control that closes after the name in place', () => {
    expect(redacted('به \u202bوزارت نیرو\u202c رسید')).toBe(`به \u202b${MOE}\u202c رسید`);
  });

  it('redacts Arabic kaf and yeh in a company name', () => {
    expect(redacted('کارمند شركت ملي نفت پارسيا گفت')).toBe(`کارمند ${PARSIA} گفت`);
  });

  it('redacts the Arabic teh marbuta spelling of a word Persian writes with teh', () => {
    expect(redacted('شركة ملی نفت پارسیا')).toBe(PARSIA);
  });

  it('redacts a long name with a clitic attached', () => {
    expect(redacted('نامه بوزارت‌نیرو رسید')).toBe(`نامه ب${MOE} رسید`);
  });

  it('redacts a short alias followed by a ZWNJ suffix but not inside a longer word', () => {
    const r = createTextRedactor({ entities: [{ id: 'x', names: ['نیرو'] }] });
    expect(r.redact('نیرو‌ها و نیروگاه', () => 'V').text).toBe('V‌ها و نیروگاه');
  });

  it('redacts phone numbers and national ids written in Persian and Arabic-Indic digits', () => {
    expect(redacted('تلفن ۰۹۱۲ ۱۲۳ ۴۵۶۷ و ٠٢١-٨٨٧٧٦٦٥٥، کد ملی ۰۰۱۲۳۴۵۶۷۹')).toBe(
      'تلفن [REDACTED:phone] و [REDACTED:phone]، کد ملی [REDACTED:national-id]',
    );
  });

  it('redacts a Persian person name', () => {
    expect(redacted('مدیر شبکه علی رضايي بود')).toBe(`مدیر شبکه ${MOE} بود`);
  });
});

describe('English spelling variants', () => {
  it.each([
    ['upper case', 'MINISTRY OF ENERGY'],
    ['hyphens', 'ministry-of-energy'],
    ['underscores and camel case', 'Ministry_Of_Energy'],
    ['no spaces', 'MinistryOfEnergy'],
    ['Cyrillic а and е', 'Ministry of Enеrgy'.replace('a', '\u0430')],
    ['Cyrillic і and о', 'M\u0456nistry \u043ef Energy'],
    ['fullwidth letters', 'Ｍｉｎｉｓｔｒｙ of Energy'],
    ['a soft hyphen', 'Minis\u00adtry of Energy'],
  ])('redacts the ministry name in %s', (_what, spelling) => {
    expect(redacted(`Phishing against the ${spelling} today`)).toBe(
      `Phishing against the ${MOE} today`,
    );
  });

  it('redacts acronyms with Greek and Cyrillic look-alikes', () => {
    expect(redacted('PN\u039fC and PN\u041eC and pnoc')).toBe(
      `${PARSIA} and ${PARSIA} and ${PARSIA}`,
    );
  });

  it.each([
    ['mathematical bold letters', '\u{1d40f}\u{1d40d}\u{1d40e}\u{1d402}'],
    ['circled letters', '\u24c5\u24c3\u24c4\u24b8'],
    ['dots between letters', 'P.N.O.C.'],
    ['a zero-width space inside', 'PN\u200bOC'],
    ['a variation selector inside', 'PN\ufe0fOC'],
  ])('redacts an acronym written with %s', (_what, spelling) => {
    expect(redacted(`by ${spelling} staff`)).toContain(PARSIA);
  });

  it('redacts a homograph of a protected domain', () => {
    expect(redacted('login at m\u043ee.gov.example now')).toBe('login at [REDACTED:domain] now');
  });

  it('redacts person names', () => {
    expect(redacted('Contact: ALI REZAEI, SOC lead')).toBe(`Contact: ${MOE}, SOC lead`);
  });
});

describe('names inside indicators and paths', () => {
  it('redacts a name inside an attacker URL path and leaves the rest of the URL', () => {
    expect(redacted('https://evil.example/login/Ministry-of-Energy/index.php')).toBe(
      `https://evil.example/login/${MOE}/index.php`,
    );
  });

  it('redacts a name inside a Windows path', () => {
    expect(redacted('C:\\Users\\ali\\PNOC\\Finance\\q3.xlsx')).toBe(
      `C:\\Users\\ali\\${PARSIA}\\Finance\\q3.xlsx`,
    );
  });

  it('redacts an acronym inside a typosquat host', () => {
    expect(redacted('hxxp://pnoc-login[.]evil[.]example/')).toBe(
      `hxxp://${PARSIA}-login[.]evil[.]example/`,
    );
  });

  it('redacts a person name in the local part of an outside email', () => {
    expect(redacted('ali.rezaei@gmail.example')).toBe(`${MOE}@gmail.example`);
  });

  it('redacts a percent-encoded Persian name', () => {
    const encoded = encodeURIComponent('وزارت نیرو');
    expect(redacted(`https://evil.example/?org=${encoded}&x=1`)).toBe(
      `https://evil.example/?org=${MOE}&x=1`,
    );
  });

  it('redacts a punycode label', () => {
    const label = `xn--${encodePunycode('وزارتنیرو')}`;
    expect(redacted(`http://${label}.evil.example/`)).toBe(`http://${MOE}.evil.example/`);
  });

  it('redacts names given as HTML character references', () => {
    const refs = Array.from('نفت پارسیا', (c) => `&#${c.codePointAt(0)};`).join('');
    expect(redacted(`<p>${refs}</p>`)).toBe(`<p>${PARSIA}</p>`);
  });
});

describe('protected network values', () => {
  it('redacts emails, URLs and domains of protected domains and their subdomains', () => {
    expect(
      redacted(
        'from ali@Mail.MOE.gov.example via https://portal.moe.gov.example/owa and moe.gov.example.',
      ),
    ).toBe('from [REDACTED:email] via [REDACTED:url] and [REDACTED:domain].');
  });

  it('redacts defanged protected indicators', () => {
    expect(redacted('hxxps[:]//vpn[.]moe[.]gov[.]example/x and hr[at]staff-moe[.]example')).toBe(
      '[REDACTED:url] and [REDACTED:email]',
    );
  });

  it('redacts protected IPs and URLs on protected IPs', () => {
    expect(redacted('beacon from 10.20.3.4 and http://[fd00:20::5]/a and 172.16.5.7')).toBe(
      'beacon from [REDACTED:ip] and [REDACTED:url] and [REDACTED:ip]',
    );
  });

  it('redacts a protected hostname', () => {
    expect(redacted('VPN-GW.moe-internal.example was scanned')).toBe(
      '[REDACTED:domain] was scanned',
    );
  });

  it('reports which entity a network value belongs to', () => {
    expect(redactor.scan('x 172.16.5.7')).toEqual([
      { kind: 'ip', entityId: 'parsia', start: 2, end: 12 },
    ]);
  });
});

describe('decoys that stay intact', () => {
  it.each([
    [
      'attacker domains and URLs',
      'C2 at hxxp://update-check[.]evil[.]example:8080/gate.php and cdn.bad.example',
    ],
    ['attacker IPs', 'beacons to 203.0.113.45, 198.51.100.7 and 2001:db8::7'],
    ['attacker emails', 'sender: billing@phish.example'],
    ['an acronym inside a longer token', 'UPNOCX, pnocturnal, XPNOC and MOEbius, MOEs'],
    ['an acronym glued to a longer word', 'the MOEntity and the moeller family'],
    ['a short name as part of a longer word', 'نیروگاه and energetic ministrywork'],
    ['Russian text with letters that look like small capitals', 'это мое дело'],
    [
      'hashes, UUIDs and timestamps',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 indicator--a1b2c3d4-0912-4123-8123-091212345678 2024-01-15T10:20:30Z',
    ],
    [
      'a subdomain lookalike that is not a subdomain',
      'notmoe.gov.example.evil.example and xmoe.gov.example',
    ],
  ])('leaves %s unchanged', (_what, text) => {
    expect(redactor.scan(text)).toEqual([]);
    expect(redacted(text)).toBe(text);
  });

  it('keeps allow-listed terms that contain a protected acronym', () => {
    expect(redacted('Report by Moe Security Labs about MOE')).toBe(
      `Report by Moe Security Labs about ${MOE}`,
    );
  });
});

describe('offsets', () => {
  it('keeps everything around a hit byte-identical', () => {
    const before = 'Ünïcödé 😀 «quote» \u200f—\t';
    const after = ' \u202bمتن\u202c ﷺ end';
    expect(redacted(`${before}وزارت‌نيرو${after}`)).toBe(`${before}${MOE}${after}`);
  });

  it('returns non-overlapping hits in order', () => {
    const hits = redactor.scan(
      'https://moe.gov.example/Ministry-of-Energy ali@moe.gov.example MOE 09121234567',
    );
    for (let k = 1; k < hits.length; k++) {
      expect(hits[k]?.start).toBeGreaterThanOrEqual(hits[k - 1]?.end ?? 0);
    }
    expect(hits.map((h) => h.kind)).toEqual(['url', 'email', 'entity', 'phone']);
  });

  it('merges a name that overlaps a detector hit into one span', () => {
    expect(redacted('ali.rezaei@staff-moe.example')).toBe('[REDACTED:email]');
  });

  it('tells which registry field matched, never the matched text', () => {
    expect(redactor.scan('PNOC')).toEqual([
      { kind: 'entity', entityId: 'parsia', source: 'acronym', start: 0, end: 4 },
    ]);
  });
});

describe('hex tokens', () => {
  const hex = createTextRedactor({ entities: [{ id: 'x', names: [], acronyms: ['CAFE'] }] });

  it('does not see an a-f acronym inside a hash or a STIX id', () => {
    const text =
      'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08cafe and ' +
      'indicator--0a1b2c3d-cafe-4123-8123-0123456789ab and md5 0123cafe4567890abcdef0123456789a';
    expect(hex.scan(text)).toEqual([]);
  });

  it('does not see it inside an IPv6 address', () => {
    expect(hex.scan('beacon to 2001:db8:cafe::17 and [2001:db8::cafe]:443')).toEqual([]);
  });

  it('still sees it as a word', () => {
    expect(hex.redact('CAFE staff and cafe-01', () => 'V').text).toBe('V staff and V-01');
  });
});

describe('options', () => {
  it('ignores spans matching ignorePatterns', () => {
    const r = createTextRedactor(
      { entities: [{ id: 'x', names: [], acronyms: ['ABC'] }] },
      { ignorePatterns: [/Victim-[A-Z2-7]{8}/] },
    );
    expect(r.scan('Victim-ABC2DEF3 and ABC')).toEqual([
      { kind: 'entity', entityId: 'x', source: 'acronym', start: 20, end: 23 },
    ]);
  });

  it('lets a lower minSubstringLength match short names inside words', () => {
    const r = createTextRedactor(
      { entities: [{ id: 'x', names: ['نیرو'] }] },
      { minSubstringLength: 3 },
    );
    expect(r.redact('نیروگاه', () => 'V').text).toBe('Vگاه');
  });

  it('reports terms too short to match and CIDRs that do not parse', () => {
    const r = createTextRedactor({
      entities: [{ id: 'x', names: ['-'], acronyms: ['A'], cidrs: ['10.0.0.0/33'] }],
    });
    expect(r.rejected.map((t) => t.source)).toEqual(['name', 'acronym']);
    expect(r.invalidCidrs).toEqual(['10.0.0.0/33']);
  });
});

describe('containsProtected (egress re-scan)', () => {
  it('finds names hidden behind JSON \\u escapes', () => {
    const json = asciiJson({ type: 'note', content: 'حمله به وزارت نیرو' });
    expect(json).not.toContain('وزارت');
    expect(redactor.containsProtected(json)).toBe(true);
  });

  it('accepts the UTF-8 bytes of the response', () => {
    const bytes = new TextEncoder().encode(asciiJson({ name: 'وزارت نیرو' }));
    expect(redactor.containsProtected(bytes)).toBe(true);
  });

  it('scans property names too', () => {
    expect(redactor.containsProtected(JSON.stringify({ x_pnoc_ticket: '1' }))).toBe(true);
  });

  it('passes a derived object with labels, documentation values and STIX ids', () => {
    const derived = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--a1b2c3d4-0912-4123-8123-091212345678',
      created: '2024-01-15T10:20:30.000Z',
      name: MOE,
      description: 'beacon to 192.0.2.17 and https://evil.example/x [REDACTED:email]',
    };
    expect(redactor.containsProtected(JSON.stringify(derived))).toBe(false);
    expect(redactor.containsProtected(asciiJson(derived))).toBe(false);
  });

  it('scans text that is not JSON after decoding JSON escapes', () => {
    expect(
      redactor.containsProtected(
        '{"broken": "\\u0648\\u0632\\u0627\\u0631\\u062a\\n\\u0646\\u06cc\\u0631\\u0648"',
      ),
    ).toBe(true);
    expect(redactor.containsProtected('plain text')).toBe(false);
  });
});

describe('malformed input', () => {
  it('treats lone surrogates and controls as separators', () => {
    const text = '\ud800PNOC\udfff \u0000 وزارت\ud83dنیرو';
    expect(redacted(text)).toBe(`\ud800${PARSIA}\udfff \u0000 ${MOE}`);
  });

  it('redacts in texts larger than the shared buffers, and small ones after them', () => {
    const filler = 'حمله به سرور. '.repeat(20_000);
    expect(redacted(`${filler}وزارت نیرو`)).toBe(`${filler}${MOE}`);
    expect(redacted('PNOC')).toBe(PARSIA);
  });

  it('returns no hits for an empty string', () => {
    expect(redactor.scan('')).toEqual([]);
  });
});

describe('registry', () => {
  it('accepts registry domains in punycode or Unicode form', () => {
    const idn = 'وزارت.example';
    const ascii = `xn--${encodePunycode('وزارت')}.example`;
    for (const registered of [idn, ascii]) {
      const r = createTextRedactor({ entities: [{ id: 'x', names: [], domains: [registered] }] });
      expect(r.redact(`mail.${ascii} and ${idn}`, () => 'V').text).toBe(
        '[REDACTED:domain] and [REDACTED:domain]',
      );
    }
  });

  it('redacts single-label hostnames as whole words', () => {
    const r = createTextRedactor({ entities: [{ id: 'x', names: [], hostnames: ['MOE-DC01'] }] });
    expect(r.redact('logon to moe-dc01 from moe-dc012', () => 'V').text).toBe(
      'logon to [REDACTED:domain] from moe-dc012',
    );
  });

  it('builds from the fixture registry without rejected terms', () => {
    const r = createTextRedactor(REGISTRY);
    expect(r.rejected).toEqual([]);
    expect(r.invalidCidrs).toEqual([]);
    expect(r.redact('PNOC', labelFor).text).toBe(PARSIA);
  });
});
