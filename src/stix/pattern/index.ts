// STIX 2.1 patterning (STIX 2.1 §9): parse, list comparisons, print, and narrow patterns.
// See docs/patterning.md.
export type {
  Comparison,
  ComparisonCompound,
  ComparisonExpression,
  ComparisonOperator,
  ObjectPath,
  Observation,
  ObservationCompound,
  ObservationExpression,
  PathStep,
  PatternAst,
  PatternConstant,
  QualifiedObservation,
  Qualifier,
} from './ast.js';
export { PatternSyntaxError } from './errors.js';
export {
  parsePattern,
  findPatternComments,
  hasSatisfiableAnds,
  MAX_NESTING,
  type ParseOptions,
} from './parser.js';
export { formatPattern, formatObjectPath, formatConstant } from './format.js';
export { listComparisons, type PatternComparison } from './comparisons.js';
export { removeComparisons, type RemovalOptions, type RemovalResult } from './remove.js';
