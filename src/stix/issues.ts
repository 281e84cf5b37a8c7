// Validation results: what failed, where (a JSON pointer), and by which rule.

export interface ValidationIssue {
  /** Stable machine code, e.g. `id-type-mismatch`; documented in docs/validation.md. */
  code: string;
  /** JSON pointer into the object, e.g. `/external_references/0/url`; `` for the object itself. */
  path: string;
  /** Names the property and the rule; never echoes the offending value. */
  message: string;
}

export type ValidationResult =
  { ok: true; warnings?: ValidationIssue[] } | { ok: false; errors: ValidationIssue[] };

export type ValidationMode = 'strict' | 'permissive';

/** RFC 6901 pointer from property names and indexes. */
export function pointer(...segments: (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

/** At most this many errors and this many warnings are kept per object (hostile input stays cheap). */
export const MAX_ISSUES = 100;

/** Collects errors and warnings while the rules run. */
export class IssueCollector {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];

  error(code: string, path: string, message: string): void {
    if (this.errors.length < MAX_ISSUES) this.errors.push({ code, path, message });
  }

  warn(code: string, path: string, message: string): void {
    if (this.warnings.length < MAX_ISSUES) this.warnings.push({ code, path, message });
  }

  /** An error in strict mode, a warning in permissive mode (spec SHOULDs, custom content). */
  strictError(mode: ValidationMode, code: string, path: string, message: string): void {
    if (mode === 'strict') this.error(code, path, message);
    else this.warn(code, path, message);
  }

  result(): ValidationResult {
    if (this.errors.length > 0) return { ok: false, errors: this.errors };
    return this.warnings.length > 0 ? { ok: true, warnings: this.warnings } : { ok: true };
  }
}
