// Recursive-descent parser of the STIX 2.1 patterning language (STIX 2.1 §9), written from the
// specification and the OASIS grammar (STIXPattern.g4 for 2.1). Precedence, loosest first:
//   observation level:  FOLLOWEDBY < OR < AND < qualifiers (WITHIN / REPEATS / START…STOP)
//   comparison level (inside [ ]):  OR < AND
// Parentheses group at both levels. Every malformed input throws PatternSyntaxError.
import type {
  Comparison,
  ComparisonExpression,
  ComparisonOperator,
  ObjectPath,
  ObservationExpression,
  PathStep,
  PatternAst,
  PatternConstant,
  Qualifier,
} from './ast.js';
import { PatternSyntaxError } from './errors.js';
import { KEYWORDS, Lexer, describeToken, type Token } from './lexer.js';
import {
  checkBinary,
  checkHex,
  checkRegex,
  checkTimestamp,
  compareTimestamps,
} from './literals.js';

/** Deeper nesting of ( and [ is refused so that hostile input cannot exhaust the stack. */
export const MAX_NESTING = 200;

const OBSERVATION_OPERATORS = ['FOLLOWEDBY', 'OR', 'AND'] as const;
const STRING_OPERATORS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const ORDER_OPERATORS = new Set(['<', '>', '<=', '>=']);
// Property names without quotes: IdentifierWithoutHyphen of the grammar.
const BARE_PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Hex lengths of the fixed-size algorithms of the STIX 2.1 hash-algorithm-ov vocabulary (and
// of the other names the OASIS validator knows). SSDEEP, TLSH and MD6 vary and are not checked.
const HASH_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['MD5', 32],
  ['SHA1', 40],
  ['SHA224', 56],
  ['SHA256', 64],
  ['SHA384', 96],
  ['SHA512', 128],
  ['SHA3224', 56],
  ['SHA3256', 64],
  ['SHA3384', 96],
  ['SHA3512', 128],
  ['RIPEMD160', 40],
  ['WHIRLPOOL', 128],
]);

interface HashAlgorithm {
  name: string;
  hexLength: number;
}

/** `…hashes.<algorithm>` (spelling-insensitive: `'SHA-256'`, `SHA256`, `sha256`). */
function hashAlgorithmOf(path: ObjectPath): HashAlgorithm | undefined {
  const last = path.steps[path.steps.length - 1];
  const parent = path.steps[path.steps.length - 2];
  if (last?.type !== 'property' || parent?.type !== 'property' || parent.name !== 'hashes') {
    return undefined;
  }
  const hexLength = HASH_HEX_LENGTHS.get(last.name.toUpperCase().replace(/[-_]/g, ''));
  return hexLength === undefined ? undefined : { name: last.name, hexLength };
}

interface TypedComparison {
  node: ComparisonExpression;
  /** Object types one of which an object must have to satisfy the expression (§9.5 AND rule). */
  types: ReadonlySet<string>;
}

const listTypes = (types: ReadonlySet<string>): string => {
  const names = [...types].slice(0, 3).map((t) => `'${t}'`);
  return names.join(' or ') + (types.size > 3 ? ' or …' : '');
};

/** Parses a STIX 2.1 pattern (`pattern_type: stix`). Throws PatternSyntaxError. */
export interface ParseOptions {
  /**
   * Enforce STIX 2.1 §9.5: the operands of a comparison AND must be satisfiable by one object
   * type. Default true. The OASIS validator does not check this rule
   * (oasis-open/cti-pattern-validator#83) and accepts e.g.
   * `[network-traffic:src_port = 37020 AND user-account:user_id = 'root']`, so a permissive
   * validation mode may turn it off.
   */
  sameTypeAnd?: boolean;
}

export function parsePattern(text: string, options: ParseOptions = {}): PatternAst {
  if (typeof text !== 'string') {
    throw new PatternSyntaxError('expected the pattern as a string at 0', 0);
  }
  return new Parser(text, options).parse();
}

/**
 * The comments of a valid pattern (`/* … *\/` and `// …`, as written, with their offsets).
 * The grammar skips them, so they are not in the tree and formatPattern drops them; text that
 * is republished verbatim carries them along, and they can say anything. Throws
 * PatternSyntaxError like parsePattern.
 */
export function findPatternComments(
  text: string,
  options: ParseOptions = {},
): { position: number; text: string }[] {
  if (typeof text !== 'string') {
    throw new PatternSyntaxError('expected the pattern as a string at 0', 0);
  }
  const parser = new Parser(text, options);
  parser.parse();
  return parser.comments;
}

class Parser {
  private readonly lexer: Lexer;
  private depth = 0;

  private readonly sameTypeAnd: boolean;

  constructor(text: string, options: ParseOptions) {
    this.lexer = new Lexer(text);
    this.sameTypeAnd = options.sameTypeAnd ?? true;
  }

  get comments(): { position: number; text: string }[] {
    return this.lexer.comments;
  }

  parse(): PatternAst {
    const expression = this.observationOperation(0);
    const rest = this.lexer.peek();
    if (rest.type !== 'eof') {
      this.unexpected('AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern', rest);
    }
    return { type: 'pattern', expression };
  }

  // ---- observation expressions -------------------------------------------------------------

  /** level 0: FOLLOWEDBY, 1: OR, 2: AND; all left-associative, chains flattened. */
  private observationOperation(level: 0 | 1 | 2): ObservationExpression {
    const operator = OBSERVATION_OPERATORS[level];
    const first = this.observationOperand(level);
    if (!this.atKeyword(operator)) return first;
    const operands = [first];
    while (this.atKeyword(operator)) {
      this.lexer.next();
      operands.push(this.observationOperand(level));
    }
    return { type: 'observation-op', operator, operands };
  }

  // A method rather than a closure per call: every pattern of every indicator passes here.
  private observationOperand(level: 0 | 1 | 2): ObservationExpression {
    return level === 2
      ? this.qualifiedObservation()
      : this.observationOperation((level + 1) as 1 | 2);
  }

  /** STIX 2.1 §9.6: qualifiers apply to the observation expression right before them. */
  private qualifiedObservation(): ObservationExpression {
    const start = this.lexer.peek();
    const isBracket = start.type === 'punct' && start.value === '[';
    const base = this.primaryObservation();
    const qualifiers: Qualifier[] = [];
    for (;;) {
      const token = this.lexer.peek();
      const q = this.qualifier();
      if (!q) break;
      // As the OASIS validator does: qualifiers applied directly to one `[ … ]` must be of
      // different kinds (`[a] WITHIN 5 SECONDS WITHIN 6 SECONDS` is refused). Qualifiers on a
      // parenthesised expression, even `([a])`, are not checked, matching its behaviour.
      if (isBracket && qualifiers.some((other) => other.type === q.type)) {
        this.failAt(`duplicate ${token.value} qualifier on one observation expression`, token);
      }
      qualifiers.push(q);
    }
    if (qualifiers.length === 0) return base;
    return { type: 'qualified', expression: base, qualifiers };
  }

  private primaryObservation(): ObservationExpression {
    const token = this.lexer.peek();
    if (token.type === 'punct' && token.value === '[') {
      this.enter(token);
      this.lexer.next();
      const { node } = this.comparisonOperation(0);
      this.expectPunct(']', "AND, OR or ']'");
      this.depth--;
      return { type: 'observation', comparison: node };
    }
    if (token.type === 'punct' && token.value === '(') {
      this.enter(token);
      this.lexer.next();
      const inner = this.observationOperation(0);
      this.expectPunct(')', "AND, OR, FOLLOWEDBY, a qualifier or ')'");
      this.depth--;
      return inner;
    }
    return this.unexpected("'[' or '('", token);
  }

  private qualifier(): Qualifier | undefined {
    const token = this.lexer.peek();
    if (token.type !== 'keyword') return undefined;
    if (token.value === 'WITHIN') {
      this.lexer.next();
      const amount = this.lexer.next();
      // STIX 2.1 grammar: WITHIN (IntPosLiteral | FloatPosLiteral) SECONDS; a window of zero or
      // fewer seconds matches nothing, so it must be positive.
      if (amount.type !== 'int' && amount.type !== 'float') {
        this.unexpected('a number of seconds', amount);
      }
      const seconds = Number(amount.value);
      if (!(seconds > 0) || !Number.isFinite(seconds)) {
        this.failAt(`WITHIN needs a positive number of seconds, found '${amount.raw}'`, amount);
      }
      this.expectKeyword('SECONDS');
      return { type: 'within', seconds, text: amount.value };
    }
    if (token.value === 'REPEATS') {
      this.lexer.next();
      const amount = this.lexer.next();
      if (amount.type !== 'int') this.unexpected('a whole number of times', amount);
      const times = Number(amount.value);
      // STIX 2.1 grammar: REPEATS IntPosLiteral TIMES; zero repetitions is meaningless.
      if (!(times > 0) || !Number.isSafeInteger(times)) {
        this.failAt(`REPEATS needs a positive whole number, found '${amount.raw}'`, amount);
      }
      this.expectKeyword('TIMES');
      return { type: 'repeats', times };
    }
    if (token.value === 'START') {
      this.lexer.next();
      const start = this.timestampLiteral();
      this.expectKeyword('STOP');
      const stopToken = this.lexer.peek();
      const stop = this.timestampLiteral();
      // STIX 2.1 §9.6 START/STOP: the stop time must be later than the start time.
      if (compareTimestamps(start, stop) >= 0) {
        this.failAt('STOP must be later than START', stopToken);
      }
      return { type: 'start-stop', start, stop };
    }
    return undefined;
  }

  private timestampLiteral(): string {
    const token = this.lexer.next();
    if (token.type !== 'timestamp') return this.unexpected("a timestamp t'…'", token);
    return this.validated(token).value as string;
  }

  // ---- comparison expressions --------------------------------------------------------------

  /** level 0: OR, 1: AND. */
  private comparisonOperation(level: 0 | 1): TypedComparison {
    const operator = level === 0 ? 'OR' : 'AND';
    const first = this.comparisonOperand(level);
    if (!this.atKeyword(operator)) return first;
    const operands = [first.node];
    let types = new Set(first.types);
    while (this.atKeyword(operator)) {
      const opToken = this.lexer.next();
      const next = this.comparisonOperand(level);
      operands.push(next.node);
      if (operator === 'OR') {
        for (const t of next.types) types.add(t);
      } else {
        // STIX 2.1 §9.5: comparisons joined by AND must apply to the same object (same base
        // object path). With sub-expressions, following the TC's clarification
        // (oasis-tcs/cti-stix2#235): all AND operands must be satisfiable by one object type,
        // i.e. the intersection of their possible types is not empty.
        const both = new Set([...types].filter((t) => next.types.has(t)));
        if (both.size === 0 && this.sameTypeAnd) {
          this.failAt(
            `comparisons joined by AND must apply to the same object type, found ` +
              `${listTypes(types)} AND ${listTypes(next.types)}`,
            opToken,
          );
        }
        types = both;
      }
    }
    return { node: { type: 'comparison-op', operator, operands }, types };
  }

  private comparisonOperand(level: 0 | 1): TypedComparison {
    return level === 1 ? this.primaryComparison() : this.comparisonOperation(1);
  }

  private primaryComparison(): TypedComparison {
    const token = this.lexer.peek();
    if (token.type === 'punct' && token.value === '(') {
      this.enter(token);
      this.lexer.next();
      const inner = this.comparisonOperation(0);
      this.expectPunct(')', "AND, OR or ')'");
      this.depth--;
      return inner;
    }
    if (token.type === 'keyword' && token.value === 'EXISTS') {
      this.lexer.next();
      const path = this.objectPath();
      const node: Comparison = {
        type: 'comparison',
        path,
        operator: 'EXISTS',
        negated: false,
        value: { kind: 'none', value: null },
      };
      return { node, types: new Set([path.objectType]) };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.atKeyword('NOT')) {
      this.lexer.next();
      negated = true;
    }
    const opToken = this.lexer.next();
    const operator = this.comparisonOperator(opToken, negated);
    const value = this.comparisonValue(operator, opToken, hashAlgorithmOf(path));
    const node: Comparison = { type: 'comparison', path, operator, negated, value };
    return { node, types: new Set([path.objectType]) };
  }

  private comparisonOperator(token: Token, negated: boolean): ComparisonOperator {
    if (token.type === 'op') return token.value as ComparisonOperator;
    if (token.type === 'keyword') {
      if (token.value === 'IN' || STRING_OPERATORS.has(token.value)) {
        return token.value as ComparisonOperator;
      }
      if (token.value === 'EXISTS') {
        // STIX 2.1 grammar: `EXISTS objectPath`, written before the path and never negated.
        this.failAt(
          negated
            ? 'EXISTS cannot be negated; write EXISTS before the object path'
            : 'EXISTS goes before the object path (EXISTS type:property)',
          token,
        );
      }
    }
    return this.unexpected(
      negated ? 'a comparison operator after NOT' : 'a comparison operator (=, !=, <, IN, LIKE…)',
      token,
    );
  }

  /** The right-hand side, typed as the STIX 2.1 grammar requires for each operator. */
  private comparisonValue(
    operator: ComparisonOperator,
    opToken: Token,
    hash: HashAlgorithm | undefined,
  ): PatternConstant {
    if (operator === 'IN') return this.setLiteral(hash);
    const token = this.lexer.next();
    if (STRING_OPERATORS.has(operator)) {
      if (token.type !== 'string') return this.unexpected(`a string after ${operator}`, token);
      if (operator === 'MATCHES') {
        const problem = checkRegex(token.value);
        if (problem) this.failAt(problem, token);
      }
      return { kind: 'string', value: token.value };
    }
    const value = this.literal(token);
    if (!value) return this.unexpected(`a constant after '${opToken.raw}'`, token);
    if (ORDER_OPERATORS.has(operator) && value.kind === 'bool') {
      this.failAt(`'${opToken.raw}' cannot compare booleans`, token);
    }
    if (!ORDER_OPERATORS.has(operator)) this.checkHash(hash, value, token);
    return value;
  }

  /**
   * `hashes.'SHA-256' = 'f00'` can never match: hashes of the fixed-size algorithms of the
   * STIX 2.1 hash-algorithm vocabulary have a fixed hex length. The OASIS validator refuses
   * these too. Only equality and IN are checked; LIKE / MATCHES take patterns, not hashes.
   */
  private checkHash(hash: HashAlgorithm | undefined, value: PatternConstant, token: Token): void {
    if (!hash || value.kind !== 'string') return;
    if (value.value.length !== hash.hexLength || !/^[0-9A-Fa-f]*$/.test(value.value)) {
      this.failAt(`not a valid ${hash.name} hash (${hash.hexLength} hex digits)`, token);
    }
  }

  private setLiteral(hash: HashAlgorithm | undefined): PatternConstant {
    const open = this.lexer.next();
    if (open.type !== 'punct' || open.value !== '(') {
      return this.unexpected("'(' to start the set after IN", open);
    }
    const items: PatternConstant[] = [];
    const first = this.lexer.peek();
    if (first.type === 'punct' && first.value === ')') {
      this.lexer.next();
      return { kind: 'set', value: items };
    }
    for (;;) {
      const token = this.lexer.next();
      const item = this.literal(token);
      if (!item) return this.unexpected('a constant in the set', token);
      this.checkHash(hash, item, token);
      items.push(item);
      const sep = this.lexer.next();
      if (sep.type === 'punct' && sep.value === ')') return { kind: 'set', value: items };
      if (sep.type !== 'punct' || sep.value !== ',') this.unexpected("',' or ')'", sep);
    }
  }

  /** primitiveLiteral of the grammar, validated; undefined if the token is not a literal. */
  private literal(token: Token): PatternConstant | undefined {
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'int':
        return { kind: 'int', value: Number(token.value), text: token.value };
      case 'float':
        return { kind: 'float', value: Number(token.value), text: token.value };
      case 'bool':
        return { kind: 'bool', value: token.value === 'true' };
      case 'binary':
      case 'hex':
      case 'timestamp':
        return this.validated(token);
      default:
        return undefined;
    }
  }

  private validated(token: Token): PatternConstant {
    const kind = token.type as 'binary' | 'hex' | 'timestamp';
    const check = kind === 'binary' ? checkBinary : kind === 'hex' ? checkHex : checkTimestamp;
    const problem = check(token.value);
    if (problem) this.failAt(problem, token);
    return { kind, value: token.value };
  }

  // ---- object paths ------------------------------------------------------------------------

  /** objectType ':' firstPathComponent ( '.' name | '[' index ']' )* (STIX 2.1 §9.3). */
  private objectPath(): ObjectPath {
    const typeToken = this.lexer.next();
    if (typeToken.type !== 'ident')
      return this.unexpected('an object path like file:name', typeToken);
    this.expectPunct(':', "':' after the object type");
    const steps: PathStep[] = [{ type: 'property', name: this.propertyName() }];
    for (;;) {
      const token = this.lexer.peek();
      if (token.type !== 'punct') break;
      if (token.value === '.') {
        this.lexer.next();
        steps.push({ type: 'property', name: this.propertyName() });
      } else if (token.value === '[') {
        this.lexer.next();
        const index = this.lexer.next();
        if (index.type === 'punct' && index.value === '*') {
          steps.push({ type: 'index', index: '*' });
        } else if (index.type === 'int') {
          const n = Number(index.value);
          if (!Number.isSafeInteger(n)) this.failAt('list index out of range', index);
          steps.push({ type: 'index', index: n === 0 ? 0 : n }); // [-0] is [0]
        } else {
          this.unexpected("a list index or '*'", index);
        }
        this.expectPunct(']', "']' after the list index");
      } else {
        break;
      }
    }
    return { objectType: typeToken.value, steps };
  }

  private propertyName(): string {
    const token = this.lexer.next();
    if (token.type === 'string') return token.value;
    if (token.type === 'ident') {
      if (!BARE_PROPERTY.test(token.value)) {
        // Grammar: only object types may contain unquoted hyphens; property names must be
        // quoted, e.g. file:extensions.'windows-pebinary-ext'.
        this.failAt(`property name '${token.value}' contains '-' and must be quoted`, token);
      }
      return token.value;
    }
    return this.unexpected('a property name', token);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private atKeyword(word: string): boolean {
    const token = this.lexer.peek();
    return token.type === 'keyword' && token.value === word;
  }

  private expectKeyword(word: string): void {
    const token = this.lexer.next();
    if (token.type !== 'keyword' || token.value !== word) this.unexpected(word, token);
  }

  private expectPunct(char: string, expected: string): void {
    const token = this.lexer.next();
    if (token.type !== 'punct' || token.value !== char) this.unexpected(expected, token);
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_NESTING) {
      this.failAt(`nesting deeper than ${MAX_NESTING} levels`, token);
    }
  }

  private failAt(message: string, token: Token): never {
    throw new PatternSyntaxError(`${message} at ${token.position}`, token.position);
  }

  private unexpected(expected: string, token: Token): never {
    let hint = '';
    if (token.type === 'ident' && KEYWORDS.has(token.value.toUpperCase())) {
      hint = ` (keywords are upper case: ${token.value.toUpperCase()})`;
    } else if (token.type === 'ident' && /^(true|false)$/i.test(token.value)) {
      hint = ' (booleans are lower case: true, false)';
    }
    throw new PatternSyntaxError(
      `expected ${expected} at ${token.position}, found ${describeToken(token)}${hint}`,
      token.position,
    );
  }
}

/**
 * Whether every comparison AND of the tree is satisfiable by one object type (the §9.5 rule
 * that parsePattern enforces unless `sameTypeAnd: false`).
 */
export function hasSatisfiableAnds(ast: PatternAst): boolean {
  let satisfiable = true;
  const typesOf = (node: ComparisonExpression): Set<string> => {
    if (node.type === 'comparison') return new Set([node.path.objectType]);
    const [first, ...rest] = node.operands.map(typesOf);
    const types = new Set(first);
    for (const next of rest) {
      if (node.operator === 'OR') {
        for (const t of next) types.add(t);
      } else {
        for (const t of types) if (!next.has(t)) types.delete(t);
      }
    }
    if (types.size === 0) satisfiable = false;
    return types;
  };
  const walk = (node: ObservationExpression): void => {
    if (node.type === 'observation') typesOf(node.comparison);
    else if (node.type === 'qualified') walk(node.expression);
    else node.operands.forEach(walk);
  };
  walk(ast.expression);
  return satisfiable;
}
