// Removing comparisons (e.g. ones that name a victim) from a pattern without ever widening
// what the pattern matches.
//
// Why this works: every operator of STIX 2.1 patterning is monotone in its operands. Inside
// brackets there are only AND and OR (NOT negates a single comparison operator, `a:b NOT = 'x'`;
// it never applies to a sub-expression). Between observations, AND, OR, FOLLOWEDBY and the
// qualifiers WITHIN, REPEATS and START/STOP all match less when an operand matches less.
// So:
//   * Dropping an operand of an OR (at either level) NARROWS: X OR Y matches a superset of X.
//   * Dropping an operand of an AND WIDENS: X matches a superset of X AND Y. So we never do
//     that; instead the whole AND is dropped, which is again an operand removal one level up.
//   * FOLLOWEDBY is a conjunction with an order constraint: dropping one side WIDENS (the other
//     side alone would match without the sequence). Like AND, the whole FOLLOWEDBY is dropped.
//   * A qualified observation (`X WITHIN 60 SECONDS`, `X REPEATS 3 TIMES`, `X START … STOP …`)
//     only restricts X, and is monotone: if X narrows, `X WITHIN …` narrows too. Removing an
//     OR branch inside X is therefore fine; if X disappears entirely, so does the qualified
//     expression (dropping the qualifier while keeping X would widen).
//   * A negated comparison is removed like any other when it is an OR operand: removing a
//     disjunct narrows whatever the disjunct says. When it is an AND operand, the whole AND
//     goes, as above. There is no NOT around sub-expressions, so no other "negative context".
//   * `x IN (a, b)` is `x = a OR x = b`: with the `setElement` option, a matching element is
//     an OR branch and is taken out of the set; `NOT IN` is a conjunction of `!=`, so there
//     the whole comparison counts as matched.
// A dropped node propagates upward until it reaches an OR (where removing it narrows) or the
// root. Reaching the root means nothing would remain: the result is `safe: false`, and the
// caller must withhold the indicator rather than publish anything.
//
// Finally the narrowed tree is printed and parsed again: if it breaks a rule of the language
// (e.g. an OR lost the only branch whose object type its AND partner shared, making the AND
// unsatisfiable and invalid, STIX 2.1 §9.5), the result is also `safe: false`.
import type {
  Comparison,
  ComparisonExpression,
  ObservationExpression,
  PatternAst,
  PatternConstant,
} from './ast.js';
import { describeComparison, type PatternComparison } from './comparisons.js';
import { PatternSyntaxError } from './errors.js';
import { formatPattern } from './format.js';
import { hasSatisfiableAnds, parsePattern } from './parser.js';

export interface RemovalResult {
  /** The narrowed pattern (canonical tree), or undefined when `safe` is false. */
  ast: PatternAst | undefined;
  /** True when at least one comparison was removed and the result is safe. */
  narrowed: boolean;
  /**
   * True when the returned pattern contains no matching comparison and matches a subset of
   * what the original matched. False means: withhold the indicator.
   */
  safe: boolean;
}

export interface RemovalOptions {
  /**
   * Finer removal inside `IN` sets: elements for which this returns true are taken out of the
   * set instead of removing the whole comparison. `x IN (a, b)` means `x = a OR x = b`, so
   * dropping an element is dropping an OR branch: it narrows. An emptied set matches nothing
   * and the comparison is removed as a whole. For `NOT IN` a matching element cannot be taken
   * out (that would widen), so the whole comparison counts as matched.
   */
  setElement?: (element: PatternConstant, comparison: PatternComparison) => boolean;
}

export function removeComparisons(
  ast: PatternAst,
  predicate: (comparison: PatternComparison) => boolean,
  options: RemovalOptions = {},
): RemovalResult {
  let observationIndex = 0;
  let removed = 0;
  const { setElement } = options;

  const pruneSet = (node: Comparison, described: PatternComparison): Comparison | undefined => {
    if (!setElement || node.value.kind !== 'set') return node;
    const elements = node.value.value;
    const kept = elements.filter((element) => !setElement(element, described));
    if (kept.length === elements.length) return node;
    removed++;
    if (node.negated || kept.length === 0) return undefined;
    return { ...node, value: { kind: 'set', value: kept } };
  };

  const pruneComparison = (node: ComparisonExpression): ComparisonExpression | undefined => {
    if (node.type === 'comparison') {
      const described = describeComparison(node, observationIndex);
      if (!predicate(described)) return pruneSet(node, described);
      removed++;
      return undefined;
    }
    // Visit every operand (even after one is dropped) so that every comparison is seen.
    const pruned = node.operands.map(pruneComparison);
    if (node.operator === 'AND') {
      if (pruned.some((operand) => operand === undefined)) return undefined; // widening: drop all
      return { ...node, operands: flatten('AND', pruned as ComparisonExpression[]) };
    }
    const kept = pruned.filter((operand) => operand !== undefined);
    if (kept.length === 0) return undefined;
    if (kept.length === 1) return kept[0];
    return { ...node, operands: flatten('OR', kept) };
  };

  const pruneObservation = (node: ObservationExpression): ObservationExpression | undefined => {
    switch (node.type) {
      case 'observation': {
        const comparison = pruneComparison(node.comparison);
        observationIndex++;
        return comparison ? { type: 'observation', comparison } : undefined;
      }
      case 'qualified': {
        const inner = pruneObservation(node.expression);
        if (!inner) return undefined; // never keep a qualifier without its expression
        return { ...node, expression: inner };
      }
      case 'observation-op': {
        const pruned = node.operands.map(pruneObservation);
        if (node.operator !== 'OR') {
          // AND and FOLLOWEDBY: losing an operand widens, so the whole expression goes.
          if (pruned.some((operand) => operand === undefined)) return undefined;
          const operands = pruned as ObservationExpression[];
          return {
            ...node,
            operands: node.operator === 'AND' ? flattenObservations('AND', operands) : operands,
          };
        }
        const kept = pruned.filter((operand) => operand !== undefined);
        if (kept.length === 0) return undefined;
        if (kept.length === 1) return kept[0];
        return { ...node, operands: flattenObservations('OR', kept) };
      }
    }
  };

  const expression = pruneObservation(ast.expression);
  if (removed === 0) return { ast, narrowed: false, safe: true };
  if (!expression) return { ast: undefined, narrowed: false, safe: false };
  try {
    const narrowed = parsePattern(formatPattern({ type: 'pattern', expression }), {
      sameTypeAnd: false,
    });
    // The §9.5 AND rule: a pattern that kept it must keep it (an OR inside an AND may have lost
    // the only branch of the type its AND partner needs). One parsed leniently is held to the
    // standard it came with.
    if (hasSatisfiableAnds(ast) && !hasSatisfiableAnds(narrowed)) {
      return { ast: undefined, narrowed: false, safe: false };
    }
    return { ast: narrowed, narrowed: true, safe: true };
  } catch (error) {
    if (error instanceof PatternSyntaxError)
      return { ast: undefined, narrowed: false, safe: false };
    throw error;
  }
}

// Same-operator nesting left by a collapse (`a AND (b AND c)`) is flattened: AND and OR are
// associative, so this changes only the parentheses of the printed form.
function flatten(operator: 'AND' | 'OR', operands: ComparisonExpression[]): ComparisonExpression[] {
  return operands.flatMap((operand) =>
    operand.type === 'comparison-op' && operand.operator === operator
      ? operand.operands
      : [operand],
  );
}

function flattenObservations(
  operator: 'AND' | 'OR',
  operands: ObservationExpression[],
): ObservationExpression[] {
  return operands.flatMap((operand) =>
    operand.type === 'observation-op' && operand.operator === operator
      ? operand.operands
      : [operand],
  );
}
