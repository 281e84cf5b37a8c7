// Flat list of the comparisons of a pattern, in textual order: what the sharing engine scans
// for victims' addresses, domains and e-mail addresses.
import type {
  Comparison,
  ComparisonExpression,
  ObservationExpression,
  PatternAst,
  PatternConstant,
} from './ast.js';
import { formatObjectPath } from './format.js';

export interface PatternComparison {
  objectType: string;
  /** Steps after `type:`; property names as strings, list indexes as numbers, `[*]` as '*'. */
  propertyPath: (string | number | '*')[];
  /** Canonical path text, e.g. `file:hashes.'SHA-256'`. */
  path: string;
  /** '=', '!=', '<', '>', '<=', '>=', 'IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'EXISTS'. */
  operator: string;
  negated: boolean;
  /** For IN a `set`, for EXISTS `none`. */
  value: PatternConstant;
  /** observationIndex: 0-based position of the enclosing `[ … ]` in the pattern text. */
  location: { observationIndex: number };
}

export function describeComparison(node: Comparison, observationIndex: number): PatternComparison {
  return {
    objectType: node.path.objectType,
    propertyPath: node.path.steps.map((step) =>
      step.type === 'property' ? step.name : step.index,
    ),
    path: formatObjectPath(node.path),
    operator: node.operator,
    negated: node.negated,
    value: node.value,
    location: { observationIndex },
  };
}

/** Calls `visit` for every comparison in textual order with its observation index. */
export function forEachComparison(
  ast: PatternAst,
  visit: (node: Comparison, observationIndex: number) => void,
): void {
  let observationIndex = 0;
  const walkComparison = (node: ComparisonExpression): void => {
    if (node.type === 'comparison') visit(node, observationIndex);
    else node.operands.forEach(walkComparison);
  };
  const walkObservation = (node: ObservationExpression): void => {
    if (node.type === 'observation') {
      walkComparison(node.comparison);
      observationIndex++;
    } else if (node.type === 'qualified') {
      walkObservation(node.expression);
    } else {
      node.operands.forEach(walkObservation);
    }
  };
  walkObservation(ast.expression);
}

export function listComparisons(ast: PatternAst): PatternComparison[] {
  const out: PatternComparison[] = [];
  forEachComparison(ast, (node, index) => out.push(describeComparison(node, index)));
  return out;
}
