// Shared by the validation tests: one validator per test file (compiling is the costly part).
import {
  createStixValidator,
  type StixValidator,
  type ValidationResult,
} from '../../../src/stix/validate.js';

let shared: StixValidator | undefined;

export function validator(): StixValidator {
  shared ??= createStixValidator();
  return shared;
}

export function errorCodes(result: ValidationResult): string[] {
  return result.ok ? [] : result.errors.map((e) => e.code);
}

export function warningCodes(result: ValidationResult): string[] {
  return result.ok ? (result.warnings ?? []).map((w) => w.code) : [];
}

export function strict(obj: unknown): ValidationResult {
  return validator().validateObject(obj, { mode: 'strict' });
}

export function permissive(obj: unknown): ValidationResult {
  return validator().validateObject(obj, { mode: 'permissive' });
}
