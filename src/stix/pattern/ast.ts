// The tree produced by parsePattern (STIX 2.1 §9). Plain data: no positions, no classes, so
// two parses of equivalent text compare equal with a deep equality check.

/** A constant on the right-hand side of a comparison (STIX 2.1 §9.4, Table "Constants"). */
export type PatternConstant =
  | { kind: 'string'; value: string }
  /** `text` is the canonical digits (sign kept except '+'); `value` may round above 2^53. */
  | { kind: 'int'; value: number; text: string }
  | { kind: 'float'; value: number; text: string }
  | { kind: 'bool'; value: boolean }
  /** base64 text as written between `b'` and `'` (validated). */
  | { kind: 'binary'; value: string }
  /** hex digits as written between `h'` and `'` (validated: even count). */
  | { kind: 'hex'; value: string }
  /** RFC 3339 UTC timestamp as written between `t'` and `'` (validated). */
  | { kind: 'timestamp'; value: string }
  /** The parenthesised list of an `IN` comparison. Elements are never sets. */
  | { kind: 'set'; value: PatternConstant[] }
  /** `EXISTS` has no right-hand side. */
  | { kind: 'none'; value: null };

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET'
  | 'EXISTS';

/** One step after `type:`. The first step is always a property. */
export type PathStep = { type: 'property'; name: string } | { type: 'index'; index: number | '*' };

export interface ObjectPath {
  objectType: string;
  steps: PathStep[];
}

/** `path [NOT] op value`, or `EXISTS path` (then `value` is `{ kind: 'none' }`). */
export interface Comparison {
  type: 'comparison';
  path: ObjectPath;
  operator: ComparisonOperator;
  negated: boolean;
  value: PatternConstant;
}

/** AND / OR inside brackets. Chains are flattened: `a OR b OR c` is one node with 3 operands. */
export interface ComparisonCompound {
  type: 'comparison-op';
  operator: 'AND' | 'OR';
  operands: ComparisonExpression[];
}

export type ComparisonExpression = Comparison | ComparisonCompound;

export type Qualifier =
  | { type: 'within'; seconds: number; text: string }
  | { type: 'repeats'; times: number }
  | { type: 'start-stop'; start: string; stop: string };

/** `[ comparison expression ]`. */
export interface Observation {
  type: 'observation';
  comparison: ComparisonExpression;
}

/** AND / OR / FOLLOWEDBY between observation expressions; chains flattened like comparisons. */
export interface ObservationCompound {
  type: 'observation-op';
  operator: 'AND' | 'OR' | 'FOLLOWEDBY';
  operands: ObservationExpression[];
}

/**
 * An observation expression followed by one or more qualifiers, in the order written.
 * `expression` is `qualified` only when it was parenthesised:
 * `([a] WITHIN 5 SECONDS) REPEATS 2 TIMES` nests, `[a] WITHIN 5 SECONDS REPEATS 2 TIMES` does
 * not. Qualifiers written directly after `[ … ]` are of different kinds (see the parser).
 */
export interface QualifiedObservation {
  type: 'qualified';
  expression: ObservationExpression;
  qualifiers: Qualifier[];
}

export type ObservationExpression = Observation | ObservationCompound | QualifiedObservation;

export interface PatternAst {
  type: 'pattern';
  expression: ObservationExpression;
}
