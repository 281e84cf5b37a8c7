// What every semantic rule receives. A rule reports through `issues` and never throws.
import type { IssueCollector, ValidationMode } from '../issues.js';
import type { ObjectKind } from '../object-types.js';

export interface RuleContext {
  object: Readonly<Record<string, unknown>>;
  type: string;
  /** Kind of a standard type, or of a custom type that declares new-sdo/new-sco/new-sro; else undefined. */
  kind: ObjectKind | undefined;
  isCustomType: boolean;
  mode: ValidationMode;
  issues: IssueCollector;
  /** extension-definition ids the validator was told about (registered extensions). */
  knownExtensionDefinitions: ReadonlySet<string>;
}

export type Rule = (ctx: RuleContext) => void;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
