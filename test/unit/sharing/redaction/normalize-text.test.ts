import { describe, expect, it } from 'vitest';
import {
  decodeLayers,
  normalizeTerm,
  normalizeText,
} from '../../../../src/sharing/redaction/normalize-text.js';
import { decodePunycode, encodePunycode } from '../../../../src/sharing/redaction/punycode.js';

const skeleton = (s: string): string => normalizeText(s).match.text;

/** The original text behind match-view units [from, to). */
function originalOf(text: string, from: number, to: number): string {
  const m = normalizeText(text).match;
  return text.slice(m.starts[from], m.ends[to - 1]);
}

describe('Persian and Arabic spelling', () => {
  it('folds Arabic yeh and alef maksura to Persian yeh', () => {
    expect(skeleton('نيرو')).toBe(skeleton('نیرو'));
    expect(skeleton('موسى')).toBe(skeleton('موسی'));
  });

  it('folds Arabic kaf to Persian keheh', () => {
    expect(skeleton('كرج')).toBe(skeleton('کرج'));
  });

  it('folds teh marbuta and heh with yeh to heh', () => {
    expect(skeleton('علامة')).toBe(skeleton('علامه'));
    expect(skeleton('خانۀ')).toBe(skeleton('خانه'));
  });

  it('folds hamza and madda alef forms to bare alef', () => {
    expect(skeleton('أمیر إیران آب')).toBe(skeleton('امیر ایران اب'));
  });

  it('drops harakat, superscript alef and tatweel', () => {
    expect(skeleton('وَزارَتِ نِیْرُو')).toBe(skeleton('وزارت نیرو'));
    expect(skeleton('رحمٰن')).toBe(skeleton('رحمن'));
    expect(skeleton('وزارتــــ نیـــرو')).toBe(skeleton('وزارت نیرو'));
  });

  it('drops bidi and format controls', () => {
    const controls =
      '\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200d\u00ad\ufeff';
    expect(skeleton(`وزا${controls}رت نیرو`)).toBe(skeleton('وزارت نیرو'));
    expect(skeleton(`Ener${controls}gy`)).toBe('energy');
  });

  it('makes space, ZWNJ and no-space variants one skeleton', () => {
    const expected = skeleton('وزارت نیرو');
    expect(skeleton('وزارت\u200cنیرو')).toBe(expected);
    expect(skeleton('وزارتنیرو')).toBe(expected);
    expect(skeleton('وزارت  \n نیرو')).toBe(expected);
  });

  it('marks a word boundary where a ZWNJ was, but not where a tatweel or bidi mark was', () => {
    const zwnj = normalizeText('نفت\u200cها').match;
    expect(zwnj.boundaries[3]).toBe(1);
    const tatweel = normalizeText('نفـت').match;
    expect(Array.from(tatweel.boundaries)).toEqual([1, 0, 0, 1]);
    const bidi = normalizeText('نف\u200fت').match;
    expect(Array.from(bidi.boundaries)).toEqual([1, 0, 0, 1]);
  });

  it('reads Persian and Arabic-Indic digits as ASCII in both views', () => {
    const n = normalizeText('۰۹۱۲ ٣٤٥');
    expect(n.detector.text).toBe('0912 345');
    expect(n.match.text).toBe('0912345');
  });
});

describe('Latin spelling', () => {
  it('case-folds and applies NFKC to fullwidth and ligature forms', () => {
    expect(skeleton('ＭＩＮＩＳＴＲＹ ｏｆ ﬁre')).toBe('ministryoffire');
  });

  it('removes accents', () => {
    expect(skeleton('Énergie Ministère')).toBe('energieministere');
  });

  it('maps Cyrillic and Greek look-alikes to Latin', () => {
    // Cyrillic а, е, о, р, с; capital Cyrillic О and Greek Ο.
    expect(skeleton('Mіnіstry оf Еnеrgy')).toBe('ministryofenergy');
    expect(skeleton('PNОC')).toBe('pnoc');
    expect(skeleton('PNΟC')).toBe('pnoc');
  });

  it('leaves ordinary Cyrillic words that only imitate small capitals alone', () => {
    expect(skeleton('мое')).not.toBe('moe');
  });

  it('treats punctuation, spaces and symbols as separators', () => {
    expect(skeleton('Ministry-of_Energy/ministry.of.energy')).toBe(
      'ministryofenergyministryofenergy',
    );
  });

  it('marks camel-case edges as word boundaries', () => {
    const m = normalizeText('myPNOCPortal').match;
    expect(m.text).toBe('mypnocportal');
    expect(m.boundaries[2]).toBe(1);
    expect(m.boundaries[6]).toBe(1);
    expect(m.boundaries[4]).toBe(0);
  });

  it('marks script changes as word boundaries', () => {
    const m = normalizeText('شرکتPNOC2024').match;
    expect(m.boundaries[4]).toBe(1);
    expect(m.boundaries[8]).toBe(1);
  });
});

describe('decoding layers', () => {
  it('decodes percent-encoded UTF-8, each character mapped to its own escapes', () => {
    const text = 'q=%D9%88%D8%B2x';
    const d = decodeLayers(text);
    expect(d.text).toBe('q=وزx');
    expect(text.slice(d.starts[2], d.ends[2])).toBe('%D9%88');
    expect(text.slice(d.starts[3], d.ends[3])).toBe('%D8%B2');
    expect(text.slice(d.starts[4], d.ends[4])).toBe('x');
  });

  it('decodes double percent-encoding', () => {
    expect(decodeLayers('%25D9%2588').text).toBe('و');
  });

  it('keeps percent sequences that are not UTF-8', () => {
    // %C3 needs a continuation byte; %28 alone is valid ASCII "(".
    expect(decodeLayers('50%AB and %C3%28 and 100%').text).toBe('50%AB and %C3( and 100%');
  });

  it('decodes HTML character references and \\u escapes', () => {
    expect(decodeLayers('&#1608;&#x632; \\u0627\\u0631').text).toBe('وز ار');
    expect(decodeLayers('\\ud83d\\ude00').text).toBe('😀');
  });

  it('does not treat Windows path separators as escapes', () => {
    expect(decodeLayers('C:\\Users\\nioc\\PNOC\\').text).toBe('C:\\Users\\nioc\\PNOC\\');
  });

  it('refangs defanged indicators', () => {
    expect(decodeLayers('hxxps[:]//moe[.]gov(.)example{.}x').text).toBe(
      'https://moe.gov.example.x',
    );
    expect(decodeLayers('ali[at]moe[dot]gov (dot) example').text).toBe('ali@moe.gov.example');
    expect(decodeLayers('hXXp://a fxp://b').text).toBe('http://a ftp://b');
    expect(decodeLayers('10[.]20[.]3[.]4').text).toBe('10.20.3.4');
  });

  it('decodes punycode labels and maps them to the whole label', () => {
    const label = `xn--${encodePunycode('وزارتنیرو')}`;
    const text = `https://${label}.example/`;
    const d = decodeLayers(text);
    expect(d.text).toBe('https://وزارتنیرو.example/');
    expect(text.slice(d.starts[8], d.ends[8])).toBe(label);
  });

  it('keeps labels that are not valid punycode', () => {
    expect(decodeLayers('xn--a-ecp.xn--99999999999').text).toContain('xn--99999999999');
  });
});

describe('punycode', () => {
  it.each(['bücher', 'وزارتنیرو', 'ایران', 'mañana-δοκιμή', '😀x'])('round-trips %s', (s) => {
    expect(decodePunycode(encodePunycode(s))).toBe(s);
  });

  it('decodes the RFC 3492 sample', () => {
    expect(decodePunycode('egbpdaj6bu4bxfgehfvwxn')).toBe('ليهمابتكلموشعربي؟');
  });
});

describe('offset map', () => {
  it('maps every match-view unit back to the original characters it came from', () => {
    const text = 'Call وَزارَتـ\u200cنيرو at hxxp://moe[.]gov[.]example';
    const n = normalizeText(text);
    const i = n.match.text.indexOf('وزارتنیرو');
    expect(originalOf(text, i, i + 'وزارتنیرو'.length)).toBe('وَزارَتـ\u200cنيرو');
    const j = n.match.text.indexOf('moegovexample');
    expect(originalOf(text, j, j + 'moegovexample'.length)).toBe('moe[.]gov[.]example');
  });

  it('is the identity on plain ASCII letters', () => {
    const m = normalizeText('abc').match;
    expect(Array.from(m.starts)).toEqual([0, 1, 2]);
    expect(Array.from(m.ends)).toEqual([1, 2, 3]);
  });

  it('keeps spans ordered and inside the original', () => {
    const text = '%D9%88 ﷺ ß İstanbul 😀 x̧̌ ﻻ';
    const m = normalizeText(text).match;
    for (let k = 0; k < m.text.length; k++) {
      expect(m.starts[k]).toBeGreaterThanOrEqual(k === 0 ? 0 : (m.starts[k - 1] ?? 0));
      expect(m.ends[k]).toBeGreaterThan(m.starts[k] ?? 0);
      expect(m.ends[k]).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('normalizeTerm', () => {
  it('gives a term the same skeleton as the text it should match', () => {
    expect(normalizeTerm('Ministry of Energy')).toBe(skeleton('MINISTRY-OF-ENERGY'));
    expect(normalizeTerm('وزارت نیرو')).toBe(skeleton('وزارت‌نيرو'));
  });
});
