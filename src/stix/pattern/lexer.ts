// On-demand tokenizer for STIX 2.1 patterns, following the lexer rules of the OASIS grammar
// (STIXPattern.g4, STIX 2.1): longest match, case-sensitive keywords, comments skipped.
import { PatternSyntaxError } from './errors.js';

export type TokenType =
  | 'ident' // object type or property name; may contain '-' (the parser decides if allowed)
  | 'keyword'
  | 'bool'
  | 'string'
  | 'int'
  | 'float'
  | 'binary'
  | 'hex'
  | 'timestamp'
  | 'op' // = != < > <= >= (== and <> normalised to = and !=)
  | 'punct' // [ ] ( ) : . , *
  | 'eof';

export interface Token {
  type: TokenType;
  /** Decoded value: string contents without quotes/escapes, keyword name, normalised operator… */
  value: string;
  /** The source text of the token, for error messages. */
  raw: string;
  position: number;
}

// STIX 2.1 grammar: keywords are upper case only; `true`/`false` lower case only.
export const KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);

// The WS rule of the grammar.
const WHITESPACE = new Set(
  ' \t\r\n\u000B\u000C\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000',
);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c) || c === '-';

/** Quote a piece of source for an error message, cut to a readable length. */
export function describeText(raw: string): string {
  return `'${shorten(raw)}'`;
}

/** At most 40 characters, control characters escaped, so messages stay one readable line. */
function shorten(raw: string): string {
  const cut = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  let out = '';
  for (const c of cut) {
    const code = c.charCodeAt(0);
    out +=
      code < 0x20 || (code >= 0x7f && code <= 0x9f)
        ? `\\u${code.toString(16).padStart(4, '0')}`
        : c;
  }
  return out;
}

const LITERAL_NAMES: Partial<Record<TokenType, string>> = {
  string: 'the string',
  binary: 'the binary constant',
  hex: 'the hex constant',
  timestamp: 'the timestamp',
};

export function describeToken(token: Token): string {
  if (token.type === 'eof') return 'end of pattern';
  const name = LITERAL_NAMES[token.type];
  // Quoted literals are shown as written (they carry their own quotes).
  if (name) return `${name} ${shorten(token.raw)}`;
  return describeText(token.raw);
}

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;
  /** Comments skipped so far, with their delimiters. They are not part of the tree. */
  readonly comments: { position: number; text: string }[] = [];

  constructor(private readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private fail(message: string, position: number): never {
    throw new PatternSyntaxError(`${message} at ${position}`, position);
  }

  private skipTrivia(): void {
    const text = this.text;
    for (;;) {
      const c = text[this.pos];
      if (c !== undefined && WHITESPACE.has(c)) {
        this.pos++;
      } else if (c === '/' && text[this.pos + 1] === '*') {
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment', this.pos);
        this.comments.push({ position: this.pos, text: text.slice(this.pos, end + 2) });
        this.pos = end + 2;
      } else if (c === '/' && text[this.pos + 1] === '/') {
        const start = this.pos;
        while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r') {
          this.pos++;
        }
        this.comments.push({ position: start, text: text.slice(start, this.pos) });
      } else {
        return;
      }
    }
  }

  private token(type: TokenType, value: string, start: number): Token {
    return { type, value, raw: this.text.slice(start, this.pos), position: start };
  }

  private scan(): Token {
    this.skipTrivia();
    const text = this.text;
    const start = this.pos;
    const c = text[start];
    if (c === undefined) return { type: 'eof', value: '', raw: '', position: start };

    if (isIdentStart(c)) {
      // b'…', h'…', t'…': the literal wins over the one-letter identifier (longest match).
      if ((c === 'b' || c === 'h' || c === 't') && text[start + 1] === "'") {
        this.pos = start + 1;
        const body = this.scanQuoted(start);
        const type = c === 'b' ? 'binary' : c === 'h' ? 'hex' : 'timestamp';
        return this.token(type, body, start);
      }
      let end = start + 1;
      while (isIdentPart(text[end])) end++;
      this.pos = end;
      const word = text.slice(start, end);
      if (KEYWORDS.has(word)) return this.token('keyword', word, start);
      if (word === 'true' || word === 'false') return this.token('bool', word, start);
      return this.token('ident', word, start);
    }

    if (c === "'") return this.token('string', this.scanQuoted(start), start);

    if (isDigit(c) || c === '.' || c === '+' || c === '-') {
      const number = this.scanNumber(start);
      if (number) return number;
    }

    const two = text.slice(start, start + 2);
    if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      this.pos = start + 2;
      const value = two === '==' ? '=' : two === '<>' ? '!=' : two;
      return this.token('op', value, start);
    }
    if (c === '=' || c === '<' || c === '>') {
      this.pos = start + 1;
      return this.token('op', c, start);
    }
    if ('[]():.,*'.includes(c)) {
      this.pos = start + 1;
      return this.token('punct', c, start);
    }
    const shown = String.fromCodePoint(text.codePointAt(start) ?? 0xfffd);
    return this.fail(`unexpected character ${describeText(shown)}`, start);
  }

  /**
   * IntPosLiteral `+?(0|[1-9][0-9]*)`, IntNegLiteral `-(0|[1-9][0-9]*)`,
   * FloatPos/NegLiteral `[+-]?[0-9]*\.[0-9]+`. Returns undefined when `.`/`+`/`-` does not start
   * a number (a `.` path separator); a lone sign is an error.
   */
  private scanNumber(start: number): Token | undefined {
    const text = this.text;
    let i = start;
    if (text[i] === '+' || text[i] === '-') i++;
    const intStart = i;
    while (isDigit(text[i])) i++;
    const intDigits = text.slice(intStart, i);
    let isFloat = false;
    if (text[i] === '.' && isDigit(text[i + 1])) {
      isFloat = true;
      i++;
      while (isDigit(text[i])) i++;
    }
    if (!isFloat && intDigits === '') {
      if (i === start) return undefined; // a '.' that is not followed by a digit
      this.fail(`expected a number after ${describeText(text[start] ?? '')}`, start);
    }
    if (!isFloat && intDigits.length > 1 && intDigits.startsWith('0')) {
      this.fail('integers must not have leading zeros', start);
    }
    if (isIdentStart(text[i])) {
      // `1e5`, `12abc`: the grammar has no such token; say so instead of splitting it.
      let end = i;
      while (isIdentPart(text[end])) end++;
      this.fail(`malformed number ${describeText(text.slice(start, end))}`, start);
    }
    this.pos = i;
    const raw = text.slice(start, i);
    const value = raw.startsWith('+') ? raw.slice(1) : raw;
    return this.token(isFloat ? 'float' : 'int', value, start);
  }

  /**
   * StringLiteral body: `'` ( [^'\\] | `\'` | `\\` )* `'`. `this.pos` is at the opening quote.
   * Returns the decoded contents. Any other backslash escape is an error (STIX 2.1 §9.4).
   */
  private scanQuoted(tokenStart: number): string {
    const text = this.text;
    let i = this.pos + 1;
    let out = '';
    let chunkStart = i;
    for (;;) {
      const c = text[i];
      if (c === undefined) return this.fail('unterminated quoted literal starting', tokenStart);
      if (c === "'") break;
      if (c === '\\') {
        const escaped = text[i + 1];
        if (escaped !== "'" && escaped !== '\\') {
          this.fail(
            `invalid escape ${describeText(`\\${escaped ?? ''}`)} (only \\' and \\\\ are allowed)`,
            i,
          );
        }
        out += text.slice(chunkStart, i) + escaped;
        i += 2;
        chunkStart = i;
        continue;
      }
      i++;
    }
    out += text.slice(chunkStart, i);
    this.pos = i + 1;
    return out;
  }
}
