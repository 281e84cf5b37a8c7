import { describe, expect, it } from 'vitest';
import {
  detectNetworkValues,
  detectPersonalNumbers,
  hostOfUrl,
  isValidIranianNationalId,
} from '../../../../src/sharing/redaction/detectors.js';

const found = (text: string, kind: string): string[] =>
  [...detectNetworkValues(text), ...detectPersonalNumbers(text)]
    .filter((h) => h.kind === kind)
    .map((h) => text.slice(h.start, h.end));

describe('network values', () => {
  it('finds emails with their domain as the value', () => {
    const hits = detectNetworkValues('mail ali.rezaei+x@Mail.MOE.gov.example, or b@c.example.');
    expect(hits.filter((h) => h.kind === 'email').map((h) => h.value)).toEqual([
      'mail.moe.gov.example',
      'c.example',
    ]);
  });

  it('finds URLs without trailing punctuation and extracts their host', () => {
    expect(found('see (https://moe.gov.example/a?b=1).', 'url')).toEqual([
      'https://moe.gov.example/a?b=1',
    ]);
    expect(hostOfUrl('https://user:pw@Portal.MOE.gov.example:8443/x')).toBe(
      'portal.moe.gov.example',
    );
    expect(hostOfUrl('http://[fd00:20::5]:80/')).toBe('fd00:20::5');
    expect(hostOfUrl('ftp://10.20.3.4/file')).toBe('10.20.3.4');
  });

  it('finds domain names, including internationalized ones', () => {
    expect(found('hosts moe.gov.example and وزارت.example; file.', 'domain')).toEqual([
      'moe.gov.example',
      'وزارت.example',
    ]);
  });

  it('finds an IPv4 address glued to letters', () => {
    expect(found('src=ip10.20.3.4;', 'ip')).toEqual(['10.20.3.4']);
  });

  it('finds URLs with upper-case schemes and not inside longer words', () => {
    expect(found('HTTPS://a.example/x and xhttp://b.example', 'url')).toEqual([
      'HTTPS://a.example/x',
    ]);
  });

  it('finds valid IPv4 and IPv6 addresses only, and a network written after an address', () => {
    expect(found('10.20.3.4, 999.1.1.1, 1.2.3.4.5 and 10.20.3.4/24', 'ip')).toEqual([
      '10.20.3.4',
      '10.20.3.4',
      '10.20.3.4/24',
    ]);
    expect(found('at fd00:20::5 or [::1], not 10:20:30 or std::map', 'ip')).toEqual([
      'fd00:20::5',
      '::1',
    ]);
  });
});

describe('phone numbers', () => {
  it.each([
    '09121234567',
    '0912 123 4567',
    '0912-123-4567',
    '+98 912 123 4567',
    '(+98) 912-123-4567',
    '00989121234567',
    '9121234567',
    '021-88776655',
    '(021) 8877 6655',
    '+98 21 8877 6655',
    '+44 20 7946 0958',
    '+1 (202) 555-0143',
    '(202) 555-0143',
  ])('detects %s', (phone) => {
    expect(found(`tel: ${phone}.`, 'phone')).toEqual([phone]);
  });

  it.each([
    ['a timestamp', '2024-01-15T10:20:30.123Z'],
    ['a UUID', 'indicator--a1b2c3d4-0912-4123-8123-091212345678'],
    [
      'a digit run inside a hash',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ['an IP address', '203.0.113.45'],
    ['a version number', 'v1.09121234567'],
    ['a short number', 'port 8443 and 2024'],
  ])('ignores %s', (_what, text) => {
    expect(found(text, 'phone')).toEqual([]);
  });
});

describe('national ids', () => {
  it('validates the check digit', () => {
    expect(isValidIranianNationalId('0012345679')).toBe(true);
    expect(isValidIranianNationalId('0012345678')).toBe(false);
    expect(isValidIranianNationalId('1111111111')).toBe(false);
    expect(isValidIranianNationalId('12345')).toBe(false);
  });

  it('detects plain and dashed ids with a valid check digit only', () => {
    expect(found('id 0012345679 and 001-234567-9 but not 0012345678', 'national-id')).toEqual([
      '0012345679',
      '001-234567-9',
    ]);
  });
});
