// Canonical text of a pattern tree: single spaces around operators, upper-case keywords,
// parentheses only where the tree needs them. parsePattern(formatPattern(ast)) equals ast.
import type {
  ComparisonExpression,
  ObjectPath,
  ObservationExpression,
  PatternAst,
  PatternConstant,
  Qualifier,
} from './ast.js';
import { KEYWORDS } from './lexer.js';

const BARE_PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatPattern(ast: PatternAst): string {
  return formatObservation(ast.expression);
}

/** `'…'` with the two escapes STIX strings have. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function formatPropertyName(name: string): string {
  // A bare name must lex as an identifier and not as a keyword or boolean.
  const bare =
    BARE_PROPERTY.test(name) && !KEYWORDS.has(name) && name !== 'true' && name !== 'false';
  return bare ? name : quoteString(name);
}

/** Canonical object path text, e.g. `file:hashes.'SHA-256'` or `x:list[*].name`. */
export function formatObjectPath(path: ObjectPath): string {
  let out = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    if (step.type === 'index') {
      out += `[${step.index}]`;
    } else {
      out += (i === 0 ? '' : '.') + formatPropertyName(step.name);
    }
  });
  return out;
}

export function formatConstant(constant: PatternConstant): string {
  switch (constant.kind) {
    case 'string':
      return quoteString(constant.value);
    case 'int':
    case 'float':
      return constant.text;
    case 'bool':
      return constant.value ? 'true' : 'false';
    case 'binary':
      return `b'${constant.value}'`;
    case 'hex':
      return `h'${constant.value}'`;
    case 'timestamp':
      return `t'${constant.value}'`;
    case 'set':
      return `(${constant.value.map(formatConstant).join(', ')})`;
    case 'none':
      return '';
  }
}

// Binding strength; a child binding no tighter than its parent operator needs parentheses
// (equal strength too: an explicitly nested `a OR (b OR c)` keeps its shape).
const COMPARISON_STRENGTH = { OR: 1, AND: 2 } as const;
const OBSERVATION_STRENGTH = { FOLLOWEDBY: 1, OR: 2, AND: 3 } as const;
// Qualifiers bind tighter than every operator; a qualified base is parenthesised.
const QUALIFIED_STRENGTH = 4;

function formatComparison(node: ComparisonExpression, parentStrength = 0): string {
  if (node.type === 'comparison') {
    if (node.operator === 'EXISTS') return `EXISTS ${formatObjectPath(node.path)}`;
    const not = node.negated ? 'NOT ' : '';
    return `${formatObjectPath(node.path)} ${not}${node.operator} ${formatConstant(node.value)}`;
  }
  const strength = COMPARISON_STRENGTH[node.operator];
  const text = node.operands
    .map((operand) => formatComparison(operand, strength))
    .join(` ${node.operator} `);
  return strength <= parentStrength ? `(${text})` : text;
}

function formatQualifier(q: Qualifier): string {
  switch (q.type) {
    case 'within':
      return `WITHIN ${q.text} SECONDS`;
    case 'repeats':
      return `REPEATS ${q.times} TIMES`;
    case 'start-stop':
      return `START t'${q.start}' STOP t'${q.stop}'`;
  }
}

function formatObservation(node: ObservationExpression, parentStrength = 0): string {
  switch (node.type) {
    case 'observation':
      return `[${formatComparison(node.comparison)}]`;
    case 'qualified': {
      let base = formatObservation(node.expression, QUALIFIED_STRENGTH);
      // `[a] WITHIN 1 SECONDS WITHIN 2 SECONDS` is refused (one kind per `[ … ]`) while
      // `([a]) WITHIN 1 SECONDS WITHIN 2 SECONDS` is not: keep the parentheses it needs.
      const kinds = new Set(node.qualifiers.map((q) => q.type));
      if (node.expression.type === 'observation' && kinds.size < node.qualifiers.length) {
        base = `(${base})`;
      }
      const text = [base, ...node.qualifiers.map(formatQualifier)].join(' ');
      return QUALIFIED_STRENGTH <= parentStrength ? `(${text})` : text;
    }
    case 'observation-op': {
      const strength = OBSERVATION_STRENGTH[node.operator];
      const text = node.operands
        .map((operand) => formatObservation(operand, strength))
        .join(` ${node.operator} `);
      return strength <= parentStrength ? `(${text})` : text;
    }
  }
}
