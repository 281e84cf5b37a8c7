// Numerals of every script, number separators, the textual forms of addresses and the
// registry's own numbers (AS numbers, national ids, phones, postal codes).
import { describe, expect, it } from 'vitest';
import { createTextRedactor } from '../../../../src/sharing/redaction/index.js';
import { MOE, PARSIA, labelFor } from './fixtures.js';

const redactor = createTextRedactor({
  entities: [
    {
      ...MOE,
      asNumbers: [64500, 65546],
      nationalIds: ['0012345670'],
      phones: ['+98 21 8877 6655'],
      postalCodes: ['1591634311'],
    },
    PARSIA,
  ],
});
const redacted = (text: string): string => redactor.redact(text, labelFor).text;

/** `text` with its ASCII digits written in the digit set starting at `zero`. */
function inScript(text: string, zero: number): string {
  return text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
}

describe('digits of every script', () => {
  it.each([
    ['Extended Arabic-Indic', 0x06f0],
    ['Arabic-Indic', 0x0660],
    ['Devanagari', 0x0966],
    ['Bengali', 0x09e6],
    ['Thai', 0x0e50],
    ['fullwidth', 0xff10],
    ['mathematical bold', 0x1d7ce],
    ['Adlam', 0x1e950],
  ])('finds a protected address written in %s digits', (_script, zero) => {
    const text = `C2 talked to ${inScript('10.20.7.9', zero)} at night`;
    expect(redacted(text)).toBe('C2 talked to [REDACTED:ip] at night');
  });

  it.each([
    ['U+066B ARABIC DECIMAL SEPARATOR', '\u066b'],
    ['U+3002 IDEOGRAPHIC FULL STOP', '\u3002'],
    ['U+FF0E FULLWIDTH FULL STOP', '\uff0e'],
    ['U+FF61 HALFWIDTH IDEOGRAPHIC FULL STOP', '\uff61'],
  ])('reads %s as the dot of an address', (_name, dot) => {
    const text = `سرور ${inScript('10.20.7.9', 0x06f0).split('.').join(dot)} آلوده شد`;
    expect(redacted(text)).toBe('سرور [REDACTED:ip] آلوده شد');
  });
});

describe('address forms', () => {
  it.each([
    ['integer', '169087753'],
    ['hexadecimal', '0x0A140709'],
    ['octal dotted', '012.024.07.011'],
    ['mixed dotted', '0xa.20.0x7.9'],
    ['three parts', '10.20.1801'],
    ['two parts', '10.1312521'],
    ['IPv4-mapped IPv6', '::ffff:10.20.7.9'],
    ['IPv4-mapped IPv6 in hex', '::ffff:a14:709'],
    ['NAT64', '64:ff9b::10.20.7.9'],
    ['6to4', '2002:a14:709::1'],
    ['IPv6 uncompressed', 'fd00:0020:0000:0000:0000:0000:0000:0001'],
    ['IPv6 compressed', 'fd00:20::1'],
  ])('redacts a protected address written as %s', (_form, address) => {
    expect(redacted(`beacon to ${address} every minute`)).toBe(
      'beacon to [REDACTED:ip] every minute',
    );
  });

  it('redacts a network that contains a protected one', () => {
    expect(redacted('scanned 10.0.0.0/8 and left')).toBe('scanned [REDACTED:ip] and left');
  });

  it('redacts a range that overlaps a protected network', () => {
    expect(redacted('blocked 10.19.255.0 - 10.20.0.10 today')).toBe('blocked [REDACTED:ip] today');
  });

  it('keeps attacker addresses, networks and ranges as they are', () => {
    const text = 'C2 203.0.113.50, 0xCB007132, 198.51.100.0/24 and 203.0.113.1 - 203.0.113.9';
    expect(redacted(text)).toBe(text);
  });
});

describe('registry numbers', () => {
  it.each(['AS64500', 'AS 64500', 'ASN64500', 'AS-64500', 'asn: 64500', 'AS1.10', 'AS۶۴۵۰۰'])(
    'redacts the AS number written %s',
    (spelling) => {
      expect(redacted(`routes via ${spelling} only`)).toBe('routes via [REDACTED:asn] only');
    },
  );

  it('keeps an attacker AS number', () => {
    expect(redacted('hosted in AS13335 and AS645001')).toBe('hosted in AS13335 and AS645001');
  });

  it('redacts a registry national id whose check digit does not verify', () => {
    expect(redacted('کد ملی ۰۰۱-۲۳۴۵۶۷-۰ ثبت شد')).toBe('کد ملی [REDACTED:national-id] ثبت شد');
  });

  it.each(['021-88776655', '0098 21 8877 6655', '88776655', '(021) 8877-6655'])(
    'redacts the registry phone written %s',
    (phone) => {
      expect(redacted(`call ${phone} now`)).toBe('call [REDACTED:phone] now');
    },
  );

  it('redacts a registry postal code in groups', () => {
    expect(redacted('کدپستی 15916-34311')).toBe('کدپستی [REDACTED:postal-code]');
  });
});
